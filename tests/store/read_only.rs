//! A read-only open (a shell's TAB reading names): reads what was written, writes nothing to
//! the file, refuses every write, and steps aside for a writer that holds the file.

use crate::common::{TempDir, get, open};
use kubelite::store::Store;
use kubelite::store::redb::RedbStore;

#[test]
fn reads_without_writing_a_byte() {
    let dir = TempDir::new();
    {
        let store = open(&dir);
        store.put(b"/registry/pods/default/a", b"1", false).unwrap();
        store.put(b"/registry/pods/default/b", b"2", false).unwrap();
    }
    let before = std::fs::read(dir.file()).unwrap();
    {
        let store = RedbStore::open_read_only(&dir.file()).expect("read-only open");
        assert_eq!(store.current_revision().unwrap(), 3);
        let a = get(&store, b"/registry/pods/default/a").expect("a");
        assert_eq!(a.value, b"1");
        let err = store
            .put(b"/registry/pods/default/c", b"3", false)
            .expect_err("a write through a read-only open");
        assert!(err.to_string().contains("open for reading only"), "{err}");
    }
    assert_eq!(
        std::fs::read(dir.file()).unwrap(),
        before,
        "the file changed"
    );
    // A writer comes after it as before.
    let store = open(&dir);
    assert_eq!(store.put(b"/k", b"v", false).unwrap().header.revision, 4);
}

#[test]
fn refused_while_a_writer_holds_the_file_and_for_what_is_not_a_store() {
    let dir = TempDir::new();
    let writer = open(&dir);
    assert!(RedbStore::open_read_only(&dir.file()).is_err());
    drop(writer);
    assert!(RedbStore::open_read_only(&dir.file()).is_ok());
    std::fs::write(dir.path().join("junk"), b"not a store").unwrap();
    assert!(RedbStore::open_read_only(&dir.path().join("junk")).is_err());
    assert!(RedbStore::open_read_only(&dir.path().join("missing")).is_err());
}
