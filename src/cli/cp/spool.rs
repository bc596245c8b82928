//! Where copy-from-pod keeps the container's tar until it is unpacked: a temporary file,
//! not memory. A container (or a server) that sends without end then fills the disk as
//! the copied files would, and never the client's memory.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Spool {
    file: File,
    path: PathBuf,
    len: u64,
}

impl Spool {
    /// A new empty spool file, removed when the spool is dropped.
    pub fn new() -> std::io::Result<Spool> {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "kubelite-cp-{}-{nanos}-{}.tar",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spool { file, path, len: 0 })
    }

    /// How many bytes were written.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes written, read from the start.
    pub fn reader(&mut self) -> std::io::Result<&mut File> {
        self.file.flush()?;
        self.file.seek(SeekFrom::Start(0))?;
        Ok(&mut self.file)
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn bytes_go_to_a_file_read_back_whole_and_removed_after() {
        let mut s = Spool::new().unwrap();
        assert!(s.is_empty());
        for _ in 0..64 {
            s.write_all(&[7u8; 1024]).unwrap();
        }
        assert_eq!(s.len(), 64 * 1024);
        let path = s.path.clone();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 64 * 1024);
        let mut back = Vec::new();
        s.reader().unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, vec![7u8; 64 * 1024]);
        drop(s);
        assert!(!path.exists());
    }
}
