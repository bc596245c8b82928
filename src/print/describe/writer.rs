//! Collects describe text (cells separated by tabs) and aligns it the way kubectl's
//! tabwriter does (minwidth 0, tabwidth 8, padding 2, spaces). A flush aligns what came
//! before independently of what follows (kubectl flushes before the events table).

use crate::print::tabwriter::TabWriter;

pub struct Out {
    tw: TabWriter,
    done: String,
    /// Cells left unaligned, tabs and all (kubectl's `rollout history --revision`).
    raw: bool,
}

impl Out {
    pub fn new() -> Self {
        Out {
            tw: TabWriter::describe(),
            done: String::new(),
            raw: false,
        }
    }

    /// A writer that keeps the tabs as they are instead of aligning cells.
    pub fn raw() -> Self {
        Out {
            raw: true,
            ..Out::new()
        }
    }

    /// Writes `text` after the indentation of `level` (two spaces per level). `text` may
    /// contain tabs (cell ends) and newlines; only its start is indented, as kubectl does.
    pub fn w(&mut self, level: usize, text: &str) {
        if self.raw {
            self.done.push_str(&"  ".repeat(level));
            self.done.push_str(text);
            return;
        }
        for _ in 0..level {
            self.tw.write_str("  ");
        }
        self.tw.write_str(text);
    }

    /// Aligns everything written so far; later cells do not widen earlier columns.
    pub fn flush(&mut self) {
        if self.raw {
            return;
        }
        let aligned = self.tw.flush();
        self.done.push_str(&aligned);
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}
