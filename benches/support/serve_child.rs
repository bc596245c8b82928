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

    /// The URL serve gives in its home's serve.json once it listens; panics when it has
    /// not within `within`.
    #[allow(dead_code)] // not every bench that starts serve talks to it by URL
    pub fn url(&self, within: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Ok(t) = std::fs::read_to_string(self.home.join("serve.json"))
                && let Ok(v) = serde_json::from_str::<serde_json::Value>(&t)
                && let Some(u) = v["url"].as_str()
            {
                return u.to_string();
            }
            assert!(std::time::Instant::now() < deadline, "serve did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
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
