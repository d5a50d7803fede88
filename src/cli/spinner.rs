//! The key-generation spinner: the binary's side of [`aitls::provision::Progress`].
//!
//! Drawn on stderr only, and only when [`super::Output`] says stderr is a terminal and
//! `--quiet` is off; it never touches stdout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use aitls::provision::Progress;

/// Draws a spinner on stderr between [`Progress::start`] and [`Progress::finish`].
#[derive(Debug)]
pub struct Spinner {
    enabled: bool,
    running: Mutex<Option<(Arc<AtomicBool>, JoinHandle<()>)>>,
}

impl Spinner {
    /// A spinner that draws only when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Spinner {
            enabled,
            running: Mutex::new(None),
        }
    }
}

impl Progress for Spinner {
    fn start(&self, what: &str) {
        if !self.enabled {
            return;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let what = what.to_owned();
        let handle = std::thread::spawn(move || {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut i = 0;
            while !flag.load(Ordering::Relaxed) {
                super::output::write_stderr(&format!("\r{} {what}…", FRAMES[i % FRAMES.len()]));
                i += 1;
                std::thread::sleep(Duration::from_millis(80));
            }
            // Clear the spinner's line.
            super::output::write_stderr("\r\x1b[2K");
        });
        if let Ok(mut running) = self.running.lock() {
            *running = Some((stop, handle));
        }
    }

    fn finish(&self) {
        let running = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some((stop, handle)) = running {
            stop.store(true, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}
