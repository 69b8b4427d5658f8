//! Recursive directory walk in sorted path order, safe against symlink loops.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// Files of the directory arguments, depth first, entries of each directory sorted by
/// name, so the order is the sorted order of the relative paths. Hidden entries (names
/// starting with `.`) are skipped; a directory reached twice (a symlink loop or two
/// links to one place) is walked once.
#[derive(Debug, Default)]
pub(super) struct Walk {
    root: PathBuf,
    pending: Vec<PathBuf>,
    visited: HashSet<PathBuf>,
    /// Entries of the last directory listed that could not be read.
    unlisted: Vec<(PathBuf, io::Error)>,
}

/// A file to read and its document id, or a path that could not be listed.
pub(super) type WalkEntry = Result<(PathBuf, String), (PathBuf, io::Error)>;

impl Walk {
    /// Starts walking the directory `root`.
    pub(super) fn start(&mut self, root: PathBuf) {
        self.root = root.clone();
        self.pending.clear();
        self.pending.push(root);
    }

    /// The next file in order. Only regular files are read: a FIFO, socket or device
    /// found in a directory would block or never end, so it is an error row.
    pub(super) fn next_file(&mut self) -> Option<WalkEntry> {
        if let Some(unlisted) = self.unlisted.pop() {
            return Some(Err(unlisted));
        }
        while let Some(path) = self.pending.pop() {
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(err) => return Some(Err((path, err))),
            };
            if meta.is_file() {
                let id = relative_id(&self.root, &path);
                return Some(Ok((path, id)));
            }
            if !meta.is_dir() {
                let err = io::Error::other("not a regular file (a FIFO, socket or device)");
                return Some(Err((path, err)));
            }
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !self.visited.insert(canonical) {
                continue;
            }
            let entries = match std::fs::read_dir(&path) {
                Ok(entries) => entries,
                Err(err) => return Some(Err((path, err))),
            };
            let mut children: Vec<PathBuf> = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) if entry.file_name().to_string_lossy().starts_with('.') => {}
                    Ok(entry) => children.push(entry.path()),
                    Err(err) => self.unlisted.push((path.clone(), err)),
                }
            }
            children.sort_by(|a, b| b.file_name().cmp(&a.file_name()));
            self.pending.extend(children);
            if let Some(unlisted) = self.unlisted.pop() {
                return Some(Err(unlisted));
            }
        }
        None
    }
}

/// `path` relative to `root`, `/`-separated.
fn relative_id(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A path as shown in ids and messages: `/`-separated, without a leading `./`.
pub(super) fn display(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => shown,
    }
}
