//! The word wrapping kubectl's explain templates apply (`wrap N`): lines broken at white
//! space before they pass N characters, existing line breaks kept, a word longer than N
//! left whole; the spaces where a line is broken are dropped.

pub fn wrap(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / limit.max(1));
    // Characters on the current line, and the pending spaces and word not yet placed.
    let mut current = 0usize;
    let (mut spaces, mut spaces_len) = (String::new(), 0usize);
    let (mut word, mut word_len) = (String::new(), 0usize);
    for c in text.chars() {
        if c == '\n' {
            if word_len == 0 {
                if current + spaces_len <= limit {
                    out.push_str(&spaces);
                }
            } else {
                out.push_str(&spaces);
                out.push_str(&word);
                word.clear();
                word_len = 0;
            }
            spaces.clear();
            spaces_len = 0;
            out.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if spaces_len == 0 || word_len > 0 {
                current += spaces_len + word_len;
                out.push_str(&spaces);
                out.push_str(&word);
                spaces.clear();
                spaces_len = 0;
                word.clear();
                word_len = 0;
            }
            spaces.push(c);
            spaces_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + spaces_len + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                spaces.clear();
                spaces_len = 0;
            }
        }
    }
    if word_len == 0 {
        if current + spaces_len <= limit {
            out.push_str(&spaces);
        }
    } else {
        out.push_str(&spaces);
        out.push_str(&word);
    }
    out
}

/// Every line of `text` after `amount` spaces (also the empty last one after a newline).
pub fn indent(text: &str, amount: usize) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_at_spaces_before_the_limit() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("aaa bbb ccc", 6), "aaa\nbbb\nccc");
        assert_eq!(wrap("aaa\nbbb", 80), "aaa\nbbb");
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }

    #[test]
    fn indents_every_line() {
        assert_eq!(indent("a\nb\n", 2), "  a\n  b\n  ");
    }
}
