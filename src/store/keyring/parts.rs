//! One keyring value kept across several entries when it is larger than one entry may be.
//!
//! Windows' Credential Manager holds at most 2560 bytes (1280 UTF-16 units) per credential, and
//! one real token set (a JWT access token, ID token and refresh token) is several times that. A
//! value that fits is stored as it is, under its own account `NAME` (as before). A larger one
//! is cut into parts stored under `NAME#part-a1`, `NAME#part-a2`, … and `NAME` holds the head:
//! `oat-parts/1 BANK COUNT SHA256`, naming the bank of parts (`a` or `b`), how many there
//! are and the digest of the whole value.
//!
//! A write never touches the parts the head names: the new parts go to the other bank, the
//! head is switched last (one entry write, which the keyring makes atomically), and only then
//! are the old parts deleted, last first. A write cut short at any point leaves the head
//! naming either the old value or the new one, each complete; a read checks the digest, so a
//! mix is never returned, and a read that raced a write (reads take no lock) reads again.
//! Parts left by a write cut short are overwritten by the next write to that bank and deleted,
//! with every other part, when the value is deleted.

use crate::store::StoreError;
use sha2::Digest as _;

/// The first word of a head entry.
const MARK: &str = "oat-parts/1 ";

/// How often a read starts again when the value changed under it.
const READ_ATTEMPTS: usize = 3;

/// The named entries of a keyring: one string per account.
pub(super) trait Entries {
    fn get(&self, account: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, account: &str, value: &str) -> Result<(), StoreError>;
    /// `true` if there was an entry.
    fn delete(&self, account: &str) -> Result<bool, StoreError>;
}

/// The largest entry, in UTF-8 bytes, that every keyring oat runs on accepts. Windows'
/// Credential Manager takes 1280 UTF-16 units, and a string never has more UTF-16 units
/// than UTF-8 bytes. The Secret Service and the macOS Keychain have no limit worth splitting
/// for (and the Keychain asks once per item, so one item it stays).
#[cfg(windows)]
pub(super) const ENTRY_LIMIT: usize = 1280;
#[cfg(not(windows))]
pub(super) const ENTRY_LIMIT: usize = usize::MAX;

/// The head of a value stored in parts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Head<'a> {
    bank: char,
    count: usize,
    digest: &'a str,
}

impl<'a> Head<'a> {
    fn parse(text: &'a str) -> Option<Head<'a>> {
        let mut words = text.strip_prefix(MARK)?.split(' ');
        let bank = match words.next()? {
            "a" => 'a',
            "b" => 'b',
            _ => return None,
        };
        let count = words.next()?.parse().ok().filter(|n| *n > 0)?;
        let digest = words.next().filter(|d| d.len() == 64)?;
        words.next().is_none().then_some(Head { bank, count, digest })
    }

    fn render(&self) -> String {
        format!("{MARK}{} {} {}", self.bank, self.count, self.digest)
    }
}

fn part(account: &str, bank: char, index: usize) -> String {
    format!("{account}#part-{bank}{index}")
}

fn digest(value: &str) -> String {
    sha2::Sha256::digest(value.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `value` cut into pieces of at most `limit` bytes, on character boundaries.
fn cut(value: &str, limit: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let mut end = limit.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (piece, tail) = rest.split_at(end);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// The value of `account`, whole, or `None`; `torn` makes the error for a value whose parts
/// do not add up to what its head says.
pub(super) fn read(
    entries: &dyn Entries,
    account: &str,
    torn: impl Fn(String) -> StoreError,
) -> Result<Option<String>, StoreError> {
    let mut why = String::new();
    for _ in 0..READ_ATTEMPTS {
        let Some(first) = entries.get(account)? else {
            return Ok(None);
        };
        if !first.starts_with(MARK) {
            return Ok(Some(first));
        }
        let Some(head) = Head::parse(&first) else {
            return Err(torn(format!("its head entry `{account}` is malformed")));
        };
        let mut value = String::new();
        for index in 1..=head.count {
            match entries.get(&part(account, head.bank, index))? {
                Some(piece) => value.push_str(&piece),
                None => {
                    why = format!("its part {index} of {} is missing", head.count);
                    break;
                }
            }
        }
        if why.is_empty() {
            if digest(&value) == head.digest {
                return Ok(Some(value));
            }
            why = "its parts do not match its head's digest".into();
        }
        // A write may have switched the head while we read: then read the new value.
        if entries.get(account)?.as_deref() == Some(first.as_str()) {
            break;
        }
        why.clear();
    }
    Err(torn(if why.is_empty() { "it kept changing while it was read".into() } else { why }))
}

/// Replaces the value of `account`, in parts of at most `limit` bytes if it does not fit in one.
pub(super) fn write(entries: &dyn Entries, account: &str, value: &str, limit: usize) -> Result<(), StoreError> {
    let old = entries.get(account)?;
    let old_bank = old.as_deref().and_then(Head::parse).map(|h| (h.bank, h.count));
    // A value that looks like a head is stored in parts too, so that it reads back as itself.
    if value.len() <= limit && !value.starts_with(MARK) {
        entries.set(account, value)?;
    } else {
        let bank = if old_bank.is_some_and(|(b, _)| b == 'a') { 'b' } else { 'a' };
        let digest = digest(value);
        let head = |count| Head { bank, count, digest: &digest }.render();
        // The head must fit too; parts are never smaller than 64 bytes, whatever the limit.
        let pieces = cut(value, limit.max(64));
        for (index, piece) in pieces.iter().enumerate() {
            entries.set(&part(account, bank, index + 1), piece)?;
        }
        entries.set(account, &head(pieces.len()))?;
        sweep(entries, account, bank, pieces.len() + 1)?;
    }
    if let Some((bank, count)) = old_bank {
        // Last first, so that what a cut-short deletion leaves is a run from part 1 on.
        for index in (1..=count).rev() {
            entries.delete(&part(account, bank, index))?;
        }
    }
    Ok(())
}

/// Deletes the value of `account` and every part of it, also those left by a write cut short;
/// `true` if there was a value.
pub(super) fn delete(entries: &dyn Entries, account: &str) -> Result<bool, StoreError> {
    let existed = entries.delete(account)?;
    sweep(entries, account, 'a', 1)?;
    sweep(entries, account, 'b', 1)?;
    Ok(existed)
}

/// Deletes the parts of `bank` from `from` up to the first that is missing, last first, so
/// that what a cut-short sweep leaves is still a run the next sweep finds.
fn sweep(entries: &dyn Entries, account: &str, bank: char, from: usize) -> Result<(), StoreError> {
    let mut end = from;
    while entries.get(&part(account, bank, end))?.is_some() {
        end += 1;
    }
    for index in (from..end).rev() {
        entries.delete(&part(account, bank, index))?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    /// A keyring in memory.
    #[derive(Default)]
    struct Memory {
        entries: RefCell<BTreeMap<String, String>>,
        /// Another process's write, made the first time a part is read.
        racing: RefCell<Option<String>>,
    }

    /// Entries that stop working, as a killed process would, after `budget` changes.
    struct Crashing<'a> {
        inner: &'a dyn Entries,
        budget: Cell<usize>,
    }

    impl Crashing<'_> {
        fn spend(&self) -> Result<(), StoreError> {
            let left = self.budget.get().checked_sub(1).ok_or(StoreError::Unavailable { reason: "crashed".into() })?;
            self.budget.set(left);
            Ok(())
        }
    }

    impl Entries for Crashing<'_> {
        fn get(&self, account: &str) -> Result<Option<String>, StoreError> {
            self.inner.get(account)
        }
        fn set(&self, account: &str, value: &str) -> Result<(), StoreError> {
            self.spend()?;
            self.inner.set(account, value)
        }
        fn delete(&self, account: &str) -> Result<bool, StoreError> {
            self.spend()?;
            self.inner.delete(account)
        }
    }

    impl Entries for Memory {
        fn get(&self, account: &str) -> Result<Option<String>, StoreError> {
            let found = self.entries.borrow().get(account).cloned();
            if account.contains("#part-") {
                let racing = self.racing.borrow_mut().take();
                if let Some(value) = racing {
                    write(self, "p", &value, LIMIT)?;
                }
            }
            Ok(found)
        }
        fn set(&self, account: &str, value: &str) -> Result<(), StoreError> {
            assert!(value.len() <= LIMIT, "entry of {} bytes", value.len());
            self.entries.borrow_mut().insert(account.into(), value.into());
            Ok(())
        }
        fn delete(&self, account: &str) -> Result<bool, StoreError> {
            Ok(self.entries.borrow_mut().remove(account).is_some())
        }
    }

    const LIMIT: usize = 100;

    fn torn(reason: String) -> StoreError {
        StoreError::Corrupt { profile: "p".into(), location: "memory".into(), reason }
    }

    fn value(tag: char, len: usize) -> String {
        // Multi-byte characters, so that cuts must find character boundaries.
        (0..len).map(|i| if i % 7 == 0 { 'é' } else { tag }).collect()
    }

    #[test]
    fn small_values_stay_one_entry_and_large_ones_read_back_whole() {
        let memory = Memory::default();
        write(&memory, "p", "small", LIMIT).unwrap();
        assert_eq!(memory.entries.borrow().len(), 1);
        assert_eq!(read(&memory, "p", torn).unwrap().as_deref(), Some("small"));
        let large = value('x', 1000);
        write(&memory, "p", &large, LIMIT).unwrap();
        assert_eq!(read(&memory, "p", torn).unwrap(), Some(large.clone()));
        assert!(memory.entries.borrow().len() > 10);
        assert!(memory.entries.borrow().values().all(|v| v.len() <= LIMIT));
        let other = value('y', 700);
        write(&memory, "p", &other, LIMIT).unwrap();
        assert_eq!(read(&memory, "p", torn).unwrap(), Some(other));
        // Only the head and the new bank's parts are left.
        assert!(memory.entries.borrow().keys().all(|k| k == "p" || k.starts_with("p#part-b")));
        write(&memory, "p", "small again", LIMIT).unwrap();
        assert_eq!(memory.entries.borrow().keys().collect::<Vec<_>>(), ["p"]);
        assert!(delete(&memory, "p").unwrap());
        assert!(memory.entries.borrow().is_empty());
        assert_eq!(read(&memory, "p", torn).unwrap(), None);
        assert!(!delete(&memory, "p").unwrap());
    }

    #[test]
    fn a_value_that_looks_like_a_head_reads_back_as_itself() {
        let memory = Memory::default();
        let tricky = format!("{MARK}a 1 {}", "0".repeat(64));
        write(&memory, "p", &tricky, LIMIT).unwrap();
        assert_eq!(read(&memory, "p", torn).unwrap(), Some(tricky));
    }

    /// Every prefix of every write sequence, between every pair of sizes: what a crash at
    /// that point leaves reads as the old value or the new one, never a mix, and the next
    /// write and a delete still leave nothing behind.
    #[test]
    fn a_write_cut_short_anywhere_leaves_the_old_value_or_the_new_one() {
        writes_cut_short_leave_the_old_value_or_the_new_one(
            &Memory::default(),
            "p",
            LIMIT,
            &[0, 5, LIMIT, LIMIT + 1, 450, 1000],
        );
    }

    /// The crash test against any keyring: `sizes` in characters (0: no old value).
    pub(in crate::store::keyring) fn writes_cut_short_leave_the_old_value_or_the_new_one(
        store: &dyn Entries,
        account: &str,
        limit: usize,
        sizes: &[usize],
    ) {
        for &old_len in sizes {
            for &new_len in sizes {
                let (old, new) = (value('o', old_len), value('n', new_len));
                for crash_after in 0.. {
                    if old_len > 0 {
                        // An earlier value first, so the old one may live in either bank.
                        write(store, account, &value('e', 3 * limit), limit).unwrap();
                        write(store, account, &old, limit).unwrap();
                    }
                    let crashing = Crashing { inner: store, budget: Cell::new(crash_after) };
                    let finished = write(&crashing, account, &new, limit).is_ok();
                    let seen = read(store, account, torn).unwrap();
                    let expected_old = (old_len > 0).then(|| old.clone());
                    assert!(
                        seen == Some(new.clone()) || (!finished && seen == expected_old),
                        "old {old_len}, new {new_len}, crash after {crash_after}: read {:?} chars",
                        seen.map(|s| s.chars().count())
                    );
                    let next = value('z', 333);
                    write(store, account, &next, limit).unwrap();
                    assert_eq!(read(store, account, torn).unwrap(), Some(next));
                    delete(store, account).unwrap();
                    let left: Vec<String> = std::iter::once(account.to_string())
                        .chain((1..=64).flat_map(|i| [part(account, 'a', i), part(account, 'b', i)]))
                        .filter(|name| store.get(name).unwrap().is_some())
                        .collect();
                    assert!(left.is_empty(), "crash after {crash_after}, then delete left {left:?}");
                    if finished {
                        break;
                    }
                }
            }
        }
    }

    #[test]
    fn a_delete_cut_short_is_finished_by_the_next() {
        for crash_after in 0..30 {
            let memory = Memory::default();
            write(&memory, "p", &value('x', 900), LIMIT).unwrap();
            let _ = delete(&Crashing { inner: &memory, budget: Cell::new(crash_after) }, "p");
            delete(&memory, "p").unwrap();
            assert!(memory.entries.borrow().is_empty(), "crash after {crash_after}");
        }
    }

    #[test]
    fn mixed_or_missing_parts_are_never_returned() {
        let memory = Memory::default();
        write(&memory, "p", &value('x', 500), LIMIT).unwrap();
        memory.entries.borrow_mut().insert(part("p", 'a', 2), value('y', 50));
        let err = read(&memory, "p", torn).unwrap_err();
        assert!(err.to_string().contains("digest"), "{err}");
        memory.entries.borrow_mut().remove(&part("p", 'a', 3));
        let err = read(&memory, "p", torn).unwrap_err();
        assert!(err.to_string().contains("part 3 of"), "{err}");
        memory.entries.borrow_mut().insert("p".into(), format!("{MARK}c 1 x"));
        assert!(read(&memory, "p", torn).unwrap_err().to_string().contains("malformed"));
    }

    /// Reads take no lock: one that a write overtakes reads again and returns the new value.
    #[test]
    fn a_read_overtaken_by_a_write_returns_the_new_value() {
        for (old, new) in [(value('o', 500), value('n', 700)), (value('o', 500), "small".to_string())] {
            let memory = Memory::default();
            write(&memory, "p", &old, LIMIT).unwrap();
            *memory.racing.borrow_mut() = Some(new.clone());
            assert_eq!(read(&memory, "p", torn).unwrap(), Some(new));
            assert!(memory.racing.borrow().is_none(), "the write did not race");
        }
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let text = value('x', 301);
        let pieces = cut(&text, 10);
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().all(|p| p.len() <= 10 && !p.is_empty()));
    }
}
