//! Files only their owner may read: 0700 directories, 0600 files written atomically (temp file,
//! fsync, rename, fsync of the directory) with the cleanup of temp files a killed writer left,
//! 0600 files opened in place (lock files) or for appending (traces), and the check that a file
//! is not open to others. Plain `io::Result`s: what a failure means is left to the caller (the
//! store, config.toml's save, the trace writer).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// How old a temp file must be before it counts as left behind: no write takes that long.
const STALE: Duration = Duration::from_secs(600);

/// Creates a directory (and its parents) readable by the owner only.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `bytes` to `path` so that readers see the old content or the new, never a mix:
/// a 0600 temp file in the same directory, fsync, rename over the target, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut salt = [0u8; 6];
    getrandom::fill(&mut salt).map_err(io::Error::other)?;
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), hex(&salt)));
    let mut options = private_options();
    options.write(true).create_new(true);
    let result = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    remove_stale_temp_files(dir, &name);
    Ok(())
}

/// Opens `path` for writing without truncating it, creating it 0600 if it is missing.
pub fn open_or_create(path: &Path) -> io::Result<File> {
    let mut options = private_options();
    options.create(true).truncate(false).write(true);
    options.open(path)
}

/// Opens `path` (in an existing directory) for appending, creating it 0600 if it is missing:
/// one `write_all` of a whole line on the unbuffered file lands at the end in one piece, so
/// lines of concurrent processes never interleave (`O_APPEND`; Windows' append access alike).
pub fn open_append(path: &Path) -> io::Result<File> {
    let mut options = private_options();
    options.create(true).append(true);
    options.open(path)
}

/// The permission bits of `path` if group or others may access it, `None` if only its owner may.
#[cfg(unix)]
pub fn exposed_mode(path: &Path) -> io::Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)?.permissions().mode() & 0o777;
    Ok((mode & 0o077 != 0).then_some(mode))
}

/// Never any: modes do not apply elsewhere than Unix.
#[cfg(not(unix))]
pub fn exposed_mode(_path: &Path) -> io::Result<Option<u32>> {
    Ok(None)
}

/// Options that create files 0600.
#[cfg(unix)]
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Options that create files with the directory's default access (modes do not apply).
#[cfg(not(unix))]
fn private_options() -> OpenOptions {
    OpenOptions::new()
}

/// Removes temp files of `name` that a killed process left behind: any older than [`STALE`].
/// Best effort; a failure here changes nothing stored.
fn remove_stale_temp_files(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if !(file_name.starts_with(&prefix) && file_name.ends_with(".tmp")) {
            continue;
        }
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE));
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_files_a_killed_writer_left_are_removed_once_stale() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        let make = |name: &str, age: u64| {
            let file = fs::File::create(dir.path().join(name)).unwrap();
            file.set_modified(std::time::SystemTime::now() - Duration::from_secs(age)).unwrap();
        };
        make(".f.json.123.0a0b0c0d0e0f.tmp", 3600);
        make(".f.json.124.0a0b0c0d0e0f.tmp", 5);
        make(".g.json.125.0a0b0c0d0e0f.tmp", 3600);
        write_atomic(&path, b"one").unwrap();
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        // Another writer's fresh temp file and other files' temp files stay.
        assert_eq!(left, [".f.json.124.0a0b0c0d0e0f.tmp", ".g.json.125.0a0b0c0d0e0f.tmp", "f.json"]);
    }

    #[test]
    fn opening_in_place_keeps_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.lock");
        fs::write(&path, b"kept").unwrap();
        drop(open_or_create(&path).unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"kept");
    }

    #[test]
    fn appends_go_to_the_end_of_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace.jsonl");
        open_append(&path).unwrap().write_all(b"{\"n\":1}\n").unwrap();
        let mut first = open_append(&path).unwrap();
        let mut second = open_append(&path).unwrap();
        first.write_all(b"{\"n\":2}\n").unwrap();
        second.write_all(b"{\"n\":3}\n").unwrap();
        first.write_all(b"{\"n\":4}\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
    }

    #[test]
    // Wine emulates appending through separate handles (to the end, then write), so under
    // Wine they overwrite each other now and then; a real Windows is not tested in CI.
    #[cfg_attr(windows, ignore = "Wine's appends through separate handles are not atomic")]
    fn concurrent_appenders_never_interleave_inside_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace.jsonl");
        let writers: Vec<_> = (b'a'..=b'd')
            .map(|letter| {
                // Each writer has its own open file, as separate processes would.
                let mut file = open_append(&path).unwrap();
                std::thread::spawn(move || {
                    let mut line = vec![letter; 8191];
                    line.push(b'\n');
                    for _ in 0..50 {
                        file.write_all(&line).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 200);
        for line in text.lines() {
            assert_eq!(line.len(), 8191);
            assert!(line.bytes().all(|b| b == line.as_bytes()[0]), "a line mixes writers");
        }
    }

    #[cfg(unix)]
    #[test]
    fn what_this_module_creates_is_private_and_others_access_is_seen() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        write_atomic(&sub.join("atomic"), b"x").unwrap();
        open_or_create(&sub.join("lock")).unwrap();
        open_append(&sub.join("trace")).unwrap();
        assert_eq!(mode(&sub), 0o700);
        for name in ["atomic", "lock", "trace"] {
            assert_eq!(mode(&sub.join(name)), 0o600, "{name}");
            assert_eq!(exposed_mode(&sub.join(name)).unwrap(), None, "{name}");
        }
        fs::set_permissions(sub.join("trace"), fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(exposed_mode(&sub.join("trace")).unwrap(), Some(0o640));
    }
}
