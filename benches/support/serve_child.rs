//! A `kubelite serve` child of a benchmark, listening on a free loopback port with its own
//! KUBELITE_HOME; stopped (SIGTERM) and its home removed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct ServeChild {
    pub child: Child,
    pub home: PathBuf,
}

impl ServeChild {
    /// Starts serve in `home`, emptied first, with its stderr going to `stderr`. The
    /// caller waits for it to be ready as its benchmark needs.
    pub fn spawn(home: PathBuf, stderr: Stdio) -> ServeChild {
        let _ = std::fs::remove_dir_all(&home);
        let child = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("KUBELITE_HOME", &home)
            .env_remove("KUBELITE_NOW")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start serve");
        ServeChild { child, home }
    }
}

impl Drop for ServeChild {
    fn drop(&mut self) {
        // SAFETY: the pid is our own child, not yet waited for (so not reused).
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}
