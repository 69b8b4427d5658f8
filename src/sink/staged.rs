//! Output files written under a temporary name and renamed into place at the end, so
//! an interrupted or failed run never leaves a half-written table under its final name.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A file being written as `.NAME.PID.partial` beside its final path `NAME`.
/// [`commit`](Staged::commit) renames it into place (atomically on one file system);
/// dropped without a commit, the partial file is removed.
///
/// ```
/// use std::io::Write;
/// use naql::sink::Staged;
/// let dir = std::env::temp_dir().join(format!("naql-staged-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let (staged, mut file) = Staged::create(&dir.join("t.csv")).unwrap();
/// file.write_all(b"a\n").unwrap();
/// assert!(!dir.join("t.csv").exists());
/// staged.commit().unwrap();
/// assert_eq!(std::fs::read(dir.join("t.csv")).unwrap(), b"a\n");
/// let (abandoned, _) = Staged::create(&dir.join("u.csv")).unwrap();
/// drop(abandoned);
/// assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
/// std::fs::remove_dir_all(dir).unwrap();
/// ```
#[derive(Debug)]
pub struct Staged {
    partial: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    /// Creates the partial file for `path` and opens it for writing.
    pub fn create(path: &Path) -> io::Result<(Staged, File)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let partial = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&partial).map_err(|err| {
            io::Error::new(
                err.kind(),
                format!("cannot create {}: {err}", partial.display()),
            )
        })?;
        let staged = Staged {
            partial,
            path: path.to_path_buf(),
            committed: false,
        };
        Ok((staged, file))
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the partial file to the final path (the caller has flushed it).
    pub fn commit(mut self) -> io::Result<()> {
        std::fs::rename(&self.partial, &self.path).map_err(|err| {
            io::Error::new(
                err.kind(),
                format!(
                    "cannot rename {} to {}: {err}",
                    self.partial.display(),
                    self.path.display()
                ),
            )
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}
