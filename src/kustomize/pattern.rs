//! The regular expressions of patch targets: kustomize matches a target's name, namespace,
//! kind, group and version as Go regular expressions anchored at both ends. This is the
//! part of that syntax targets use: literals, `.`, classes (`[a-z]`, `[^x]`, `\d`, `\w`,
//! `\s`), groups with `|`, and `*`, `+`, `?`, `{m,n}` repetition (greedy, backtracking).

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Alt(Vec<Node>),
    Concat(Vec<Node>),
    Repeat(Box<Node>, usize, Option<usize>),
    Start,
    End,
}

/// A compiled pattern.
#[derive(Debug)]
pub struct Pattern(Node);

impl Pattern {
    /// Compiles `text`; `None` when it is not a pattern this module reads.
    pub fn new(text: &str) -> Option<Pattern> {
        let chars: Vec<char> = text.chars().collect();
        let mut p = Parser { chars, pos: 0 };
        let node = p.alt()?;
        (p.pos == p.chars.len()).then_some(Pattern(node))
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        walk(&self.0, &chars, 0, &mut |end| end == chars.len())
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn alt(&mut self) -> Option<Node> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Some(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.repeats(atom)?);
        }
        Some(Node::Concat(items))
    }

    fn repeats(&mut self, mut atom: Node) -> Option<Node> {
        loop {
            let (min, max) = match self.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => {
                    let close = self.chars[self.pos..].iter().position(|c| *c == '}')?;
                    let inside: String =
                        self.chars[self.pos + 1..self.pos + close].iter().collect();
                    self.pos += close;
                    let (lo, hi) = match inside.split_once(',') {
                        Some((lo, "")) => (lo.parse().ok()?, None),
                        Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
                        None => {
                            let n = inside.parse().ok()?;
                            (n, Some(n))
                        }
                    };
                    (lo, hi)
                }
                _ => return Some(atom),
            };
            self.pos += 1;
            // A lazy `?` after a repetition changes nothing for a whole-string match.
            if self.peek() == Some('?') && !matches!(atom, Node::Repeat(..)) {
                self.pos += 1;
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                if self.chars[self.pos..].starts_with(&['?', ':']) {
                    self.pos += 2;
                }
                let inner = self.alt()?;
                if self.peek() != Some(')') {
                    return None;
                }
                self.pos += 1;
                inner
            }
            '[' => self.class()?,
            '\\' => self.escape()?,
            '*' | '+' | '?' | ')' => return None,
            c => Node::Char(c),
        })
    }

    fn escape(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            'd' => Node::Class(vec![('0', '9')], false),
            'D' => Node::Class(vec![('0', '9')], true),
            'w' => Node::Class(WORD.to_vec(), false),
            'W' => Node::Class(WORD.to_vec(), true),
            's' => Node::Class(SPACE.to_vec(), false),
            'S' => Node::Class(SPACE.to_vec(), true),
            c if c.is_ascii_alphanumeric() => return None,
            c => Node::Char(c),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                let e = self.peek()?;
                self.pos += 1;
                match e {
                    'd' => {
                        ranges.push(('0', '9'));
                        continue;
                    }
                    'w' => {
                        ranges.extend_from_slice(WORD);
                        continue;
                    }
                    's' => {
                        ranges.extend_from_slice(SPACE);
                        continue;
                    }
                    e => e,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                let hi = self.chars[self.pos + 1];
                self.pos += 2;
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Some(Node::Class(ranges, negated))
    }
}

const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')];
const SPACE: &[(char, char)] = &[('\t', '\n'), ('\u{c}', '\r'), (' ', ' ')];

/// Matches `node` at `pos`, calling `next` with each end position until it accepts.
fn walk(node: &Node, s: &[char], pos: usize, next: &mut dyn FnMut(usize) -> bool) -> bool {
    match node {
        Node::Char(c) => s.get(pos) == Some(c) && next(pos + 1),
        Node::Any => s.get(pos).is_some_and(|c| *c != '\n') && next(pos + 1),
        Node::Class(ranges, negated) => {
            s.get(pos)
                .is_some_and(|c| ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)) != *negated)
                && next(pos + 1)
        }
        Node::Start => pos == 0 && next(pos),
        Node::End => pos == s.len() && next(pos),
        Node::Alt(branches) => branches.iter().any(|b| walk(b, s, pos, next)),
        Node::Concat(items) => concat(items, s, pos, next),
        Node::Repeat(inner, min, max) => repeat(inner, *min, *max, 0, s, pos, next),
    }
}

fn concat(items: &[Node], s: &[char], pos: usize, next: &mut dyn FnMut(usize) -> bool) -> bool {
    match items.split_first() {
        None => next(pos),
        Some((first, rest)) => walk(first, s, pos, &mut |p| concat(rest, s, p, next)),
    }
}

fn repeat(
    inner: &Node,
    min: usize,
    max: Option<usize>,
    done: usize,
    s: &[char],
    pos: usize,
    next: &mut dyn FnMut(usize) -> bool,
) -> bool {
    // Greedy: one more first (never an empty one, which would loop), then stop here.
    if max.is_none_or(|m| done < m)
        && walk(inner, s, pos, &mut |p| {
            p > pos && repeat(inner, min, max, done + 1, s, p, next)
        })
    {
        return true;
    }
    done >= min && next(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).unwrap().matches(s)
    }

    #[test]
    fn whole_names_match() {
        assert!(m("web", "web"));
        assert!(!m("web", "web-2"));
        assert!(m(".*", "anything"));
        assert!(m("web-.*", "web-2"));
        assert!(!m("web-.+", "web-"));
        assert!(m("(api|worker)", "worker"));
        assert!(!m("(api|worker)", "front"));
        assert!(m("app-[0-9]{2,3}", "app-123"));
        assert!(!m("app-[0-9]{2,3}", "app-1"));
        assert!(m("a\\.b", "a.b"));
        assert!(!m("a\\.b", "axb"));
        assert!(m("[^x]+", "abc"));
        assert!(m("^db$", "db"));
        assert!(m("x?y*z", "z"));
    }

    #[test]
    fn what_it_does_not_read_is_none() {
        assert!(Pattern::new("(a").is_none());
        assert!(Pattern::new("*a").is_none());
        assert!(Pattern::new("\\p{L}").is_none());
    }
}
