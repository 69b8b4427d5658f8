//! Tables sent to the disk while they are still being written.
//!
//! A table is synced to the disk before it is renamed into place, so that a crash of
//! the machine right after a run never leaves a table that is there but empty. Left to
//! the end, that sync waits for every byte of the run to reach the disk: on a 20 MB
//! corpus, 83 MB of tables and a tenth of a second or more with nothing else to do. A
//! background thread syncs each table every [`WRITEBACK_BYTES`] instead, while the
//! workers go on, and the final sync waits only for the rest.

use std::fs::File;
use std::io;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes a table grows by between two background syncs.
pub(super) const WRITEBACK_BYTES: usize = 8 << 20;

/// The background thread that syncs files handed to it, and the way to hand them.
#[derive(Debug)]
pub(super) struct Writeback {
    files: Option<SyncSender<File>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Writeback {
    /// Starts the thread. A machine that cannot start one syncs at the end only.
    pub(super) fn start() -> Writeback {
        // A request made while as many are waiting is dropped: a later sync covers it.
        let (files, requests) = mpsc::sync_channel(4);
        let thread = std::thread::Builder::new()
            .name("naql-writeback".into())
            .spawn(move || sync_each(requests))
            .ok();
        Writeback {
            files: thread.as_ref().map(|_| files),
            thread,
        }
    }

    /// Asks for the bytes written to `file` so far to be synced in the background;
    /// the request is dropped when the thread is busy or has stopped.
    pub(super) fn request(&self, file: &File) {
        let Some(files) = &self.files else { return };
        // A second handle to the same open file: its sync syncs the table.
        let Ok(handle) = file.try_clone() else { return };
        // Refused when full (a sync already waiting will cover these bytes) or when
        // the thread has stopped at an error, which `finish` returns.
        let _ = files.try_send(handle);
    }

    /// Waits for the syncs asked for; the first error one of them met, if any. An
    /// error is reported once per open file, to whichever handle syncs first, so one
    /// the thread met would not reach the final sync: it is returned here.
    pub(super) fn finish(&mut self) -> io::Result<()> {
        self.files = None;
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(synced)) => synced,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for Writeback {
    /// A run that fails still lets the thread finish the sync under way.
    fn drop(&mut self) {
        self.files = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Syncs each file received until the senders are gone or a sync fails.
fn sync_each(requests: Receiver<File>) -> io::Result<()> {
    for file in requests {
        file.sync_data()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn requested_syncs_finish_and_keep_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut file = File::create(&path).unwrap();
        let mut writeback = Writeback::start();
        for i in 0..100 {
            writeln!(file, "row {i}").unwrap();
            writeback.request(&file);
        }
        writeback.finish().unwrap();
        // Finished twice, or dropped after finishing: nothing left to wait for.
        writeback.finish().unwrap();
        drop(writeback);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 100);
        assert_eq!(text.lines().last(), Some("row 99"));
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_sync_is_reported_by_finish() {
        // Syncing a pipe fails (EINVAL) on Linux; elsewhere it may not, so only the
        // error's reaching `finish` is checked where it happens.
        let mut writeback = Writeback::start();
        let (reader, _writer) = std::io::pipe().unwrap();
        let file = File::from(std::os::fd::OwnedFd::from(reader));
        let synced = file.sync_data();
        writeback.request(&file);
        assert_eq!(writeback.finish().is_err(), synced.is_err());
    }
}
