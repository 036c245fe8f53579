//! The `docker-credential-oat` that docker runs from PATH: found, or made as a symlink to this
//! oat in a directory on PATH the user can write — the directory of oat itself when it is on
//! PATH, else one under HOME, else any other — or, where none is, the exact command to run.

use crate::credential::docker::PROGRAM;
use std::path::{Path, PathBuf};

/// Where docker's lookup of `docker-credential-oat` on PATH stands, and what to do about it.
#[derive(Debug)]
pub enum Plan {
    /// PATH has one, and it runs this oat.
    Present(PathBuf),
    /// None on PATH: make `at`, a symlink to `to`.
    Create { at: PathBuf, to: PathBuf },
    /// PATH has one that runs another program (another oat, or something else).
    Other { found: PathBuf, runs: PathBuf, this: PathBuf },
    /// None on PATH and no directory on PATH can take one (or symlinks are not made here).
    Nowhere { this: PathBuf },
}

/// What docker's lookup of `docker-credential-oat` on PATH finds: [`Plan::Present`],
/// [`Plan::Other`], or `None`.
pub fn found() -> Option<Plan> {
    let this = this_oat();
    let found = path_dirs().into_iter().map(|d| d.join(file_name())).find(|p| p.is_file())?;
    let runs = std::fs::canonicalize(&found).unwrap_or_else(|_| found.clone());
    Some(if same_file(&runs, &this) { Plan::Present(found) } else { Plan::Other { found, runs, this } })
}

/// What docker's lookup finds now, and where a link would go.
pub fn plan() -> Plan {
    if let Some(found) = found() {
        return found;
    }
    let this = this_oat();
    let dirs = path_dirs();
    if !cfg!(unix) {
        return Plan::Nowhere { this };
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let own = this.parent().map(Path::to_path_buf);
    let mut candidates: Vec<&PathBuf> = Vec::new();
    candidates.extend(dirs.iter().filter(|d| Some(*d) == own.as_ref()));
    candidates.extend(dirs.iter().filter(|d| home.as_ref().is_some_and(|h| d.starts_with(h))));
    candidates.extend(dirs.iter());
    match candidates.into_iter().find(|d| writable(d)) {
        Some(dir) => Plan::Create { at: dir.join(file_name()), to: this },
        None => Plan::Nowhere { this },
    }
}

impl Plan {
    /// One sentence for the person: what is (or, with `dry_run`, would be) done, or what to do.
    pub fn describe(&self, dry_run: bool) -> String {
        match self {
            Plan::Present(at) => format!("{} on PATH runs this oat.", at.display()),
            Plan::Create { at, to } => {
                let verb = if dry_run { "would link" } else { "Linked" };
                format!("{verb} {} → {}, which docker runs from PATH.", at.display(), to.display())
            }
            Plan::Other { found, runs, this } => format!(
                "{} on PATH runs {}, not this oat ({}); docker will run that one. Remove it, or point it here: ln -sf {} {}",
                found.display(),
                runs.display(),
                this.display(),
                this.display(),
                found.display()
            ),
            Plan::Nowhere { this } => manual(this),
        }
    }

    /// Makes the link if one is needed; what was done, or what the person must do.
    pub fn apply(&self) -> anyhow::Result<String> {
        if let Plan::Create { at, to } = self {
            symlink(to, at)
                .map_err(|e| anyhow::anyhow!("cannot link {} → {}: {e}; {}", at.display(), to.display(), manual(to)))?;
        }
        Ok(self.describe(false))
    }
}

/// The command that makes docker find this oat, where oat cannot.
fn manual(this: &Path) -> String {
    if cfg!(unix) {
        format!(
            "no directory on PATH can take a {PROGRAM} link; make one and put it on PATH: \
             mkdir -p ~/.local/bin && ln -sf {} ~/.local/bin/{PROGRAM} && export PATH=\"$HOME/.local/bin:$PATH\"",
            this.display()
        )
    } else {
        format!("copy {} as {} into a directory on PATH", this.display(), file_name())
    }
}

/// `docker-credential-oat`, with `.exe` where programs have it.
fn file_name() -> String {
    format!("{PROGRAM}{}", std::env::consts::EXE_SUFFIX)
}

/// This oat, as PATH names it when it is there (so that a link survives an upgrade that
/// replaces the file the path resolves to), else where it runs from.
fn this_oat() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let real = std::fs::canonicalize(&exe).unwrap_or_else(|_| exe.clone());
    let name = format!("oat{}", std::env::consts::EXE_SUFFIX);
    path_dirs().into_iter().map(|d| d.join(&name)).find(|p| same_file(p, &real)).unwrap_or(real)
}

/// The absolute directories on PATH, in order (a relative entry would depend on where docker runs).
fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).filter(|d| d.is_absolute()).collect())
        .unwrap_or_default()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether a file can be made in `dir`: tried with a probe that is removed at once.
fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".{PROGRAM}.{}.probe", std::process::id()));
    let made = std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).is_ok();
    if made {
        let _ = std::fs::remove_file(&probe);
    }
    made
}

/// Makes `at` a symlink to `to`, replacing a dangling link left at `at` (e.g. by an oat since removed).
#[cfg(unix)]
fn symlink(to: &Path, at: &Path) -> std::io::Result<()> {
    let dangling = std::fs::symlink_metadata(at).is_ok_and(|m| m.file_type().is_symlink()) && !at.exists();
    if dangling {
        std::fs::remove_file(at)?;
    }
    std::os::unix::fs::symlink(to, at)
}

#[cfg(not(unix))]
fn symlink(_to: &Path, _at: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("symlinks are not made on this platform"))
}
