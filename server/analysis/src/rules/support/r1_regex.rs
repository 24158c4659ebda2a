//! r1_regex: a small case-insensitive backtracking regular expression matcher for patterns
//! users write in settings (`BadWords`): literals, `.`, classes `[а-я]`, `[^...]`,
//! escapes `\d \w \s \b \D \W \S`, groups `(...)` and `(?:...)`, alternation `|`,
//! quantifiers `* + ? {n} {n,} {n,m}` (a lazy `?` after them is accepted and ignored), and
//! the anchors `^` and `$` at line boundaries.

use bsl_syntax::keywords::is_name_char;

/// One element of a pattern.
#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    /// Ranges and class escapes (`\d`, ...), negated or not.
    Class(Vec<ClassItem>, bool),
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, usize),
    LineStart,
    LineEnd,
    WordBoundary,
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Escape(char),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    alternatives: Vec<Vec<Node>>,
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn escape_matches(kind: char, c: char) -> bool {
    match kind {
        'd' => c.is_ascii_digit(),
        'D' => !c.is_ascii_digit(),
        'w' => is_name_char(c),
        'W' => !is_name_char(c),
        's' => c.is_whitespace(),
        'S' => !c.is_whitespace(),
        other => lower(other) == c,
    }
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl Parser<'_> {
    fn alternatives(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.chars.next();
            let atom = match c {
                '.' => Node::Any,
                '^' => Node::LineStart,
                '$' => Node::LineEnd,
                '(' => {
                    if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                        if self.chars.next() != Some(':') {
                            return Err("only (?:...) groups are supported".into());
                        }
                    }
                    let inner = self.alternatives()?;
                    if self.chars.next() != Some(')') {
                        return Err("unclosed group".into());
                    }
                    Node::Group(inner)
                }
                '[' => self.class()?,
                '\\' => match self.chars.next().ok_or("dangling backslash")? {
                    'b' => Node::WordBoundary,
                    e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S') => Node::Class(vec![ClassItem::Escape(e)], false),
                    'n' => Node::Char('\n'),
                    't' => Node::Char('\t'),
                    other => Node::Char(lower(other)),
                },
                '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before {c}")),
                other => Node::Char(lower(other)),
            };
            nodes.push(self.quantified(atom)?);
        }
        Ok(nodes)
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.chars.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                self.chars.next();
                let mut spec = String::new();
                for c in self.chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let (min, max) = match spec.split_once(',') {
                    Some((a, "")) => (a.trim().parse().map_err(|_| "bad {n,}")?, usize::MAX),
                    Some((a, b)) => {
                        (a.trim().parse().map_err(|_| "bad {n,m}")?, b.trim().parse().map_err(|_| "bad {n,m}")?)
                    }
                    None => {
                        let n = spec.trim().parse().map_err(|_| "bad {n}")?;
                        (n, n)
                    }
                };
                if self.chars.peek() == Some(&'?') {
                    self.chars.next();
                }
                return Ok(Node::Repeat(Box::new(atom), min, max));
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        if self.chars.peek() == Some(&'?') {
            self.chars.next();
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn class(&mut self) -> Result<Node, String> {
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.chars.next().ok_or("unclosed class")?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let start = if c == '\\' {
                let e = self.chars.next().ok_or("dangling backslash")?;
                if matches!(e, 'd' | 'D' | 'w' | 'W' | 's' | 'S') {
                    items.push(ClassItem::Escape(e));
                    continue;
                }
                e
            } else {
                c
            };
            let mut lookahead = self.chars.clone();
            if lookahead.next() == Some('-') && lookahead.peek().is_some_and(|n| *n != ']') {
                self.chars.next();
                let end = self.chars.next().ok_or("unclosed class")?;
                items.push(ClassItem::Range(start, end));
            } else {
                items.push(ClassItem::Range(start, start));
            }
        }
        Ok(Node::Class(items, negated))
    }
}

fn class_matches(items: &[ClassItem], c: char) -> bool {
    items.iter().any(|item| match *item {
        ClassItem::Range(a, b) => {
            (a..=b).contains(&c) || (lower(a)..=lower(b)).contains(&c) || c.to_uppercase().any(|u| (a..=b).contains(&u))
        }
        ClassItem::Escape(e) => escape_matches(e, c),
    })
}

/// Matching state: the lowercased text as characters; a step budget bounds pathological
/// patterns.
struct Matcher<'a> {
    text: &'a [char],
    budget: usize,
}

impl Matcher<'_> {
    fn single(&self, node: &Node, pos: usize) -> bool {
        let Some(&c) = self.text.get(pos) else { return false };
        match node {
            Node::Char(p) => *p == c,
            Node::Any => c != '\n',
            Node::Class(items, negated) => class_matches(items, c) != *negated,
            _ => false,
        }
    }

    fn sequence(&mut self, seq: &[Node], pos: usize, k: &mut dyn FnMut(&mut Self, usize) -> bool) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let Some((first, rest)) = seq.split_first() else { return k(self, pos) };
        match first {
            Node::Char(_) | Node::Any | Node::Class(..) => self.single(first, pos) && self.sequence(rest, pos + 1, k),
            Node::LineStart => (pos == 0 || self.text[pos - 1] == '\n') && self.sequence(rest, pos, k),
            Node::LineEnd => {
                (pos == self.text.len() || matches!(self.text[pos], '\n' | '\r')) && self.sequence(rest, pos, k)
            }
            Node::WordBoundary => {
                let before = pos > 0 && is_name_char(self.text[pos - 1]);
                let after = self.text.get(pos).is_some_and(|c| is_name_char(*c));
                before != after && self.sequence(rest, pos, k)
            }
            Node::Group(alternatives) => alternatives
                .iter()
                .any(|alternative| self.sequence(alternative, pos, &mut |m: &mut Self, p| m.sequence(rest, p, k))),
            Node::Repeat(node, min, max) => self.repeat(node, *min, *max, 0, rest, pos, k),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &mut self,
        node: &Node,
        min: usize,
        max: usize,
        count: usize,
        rest: &[Node],
        pos: usize,
        k: &mut dyn FnMut(&mut Self, usize) -> bool,
    ) -> bool {
        if count < max {
            let one = std::slice::from_ref(node);
            let more = self
                .sequence(one, pos, &mut |m: &mut Self, p| p != pos && m.repeat(node, min, max, count + 1, rest, p, k));
            if more {
                return true;
            }
        }
        count >= min && self.sequence(rest, pos, k)
    }
}

/// The characters a match of the sequence can start with, when they are known literals.
fn first_chars(seq: &[Node], out: &mut Vec<char>) -> bool {
    match seq.first() {
        Some(Node::Char(c)) => {
            out.push(*c);
            true
        }
        Some(Node::WordBoundary | Node::LineStart) => first_chars(&seq[1..], out),
        Some(Node::Group(alternatives)) => alternatives.iter().all(|a| first_chars(a, out)),
        Some(Node::Repeat(node, min, _)) if *min > 0 => first_chars(std::slice::from_ref(node), out),
        _ => false,
    }
}

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let mut parser = Parser { chars: pattern.chars().peekable() };
        let alternatives = parser.alternatives()?;
        if parser.chars.next().is_some() {
            return Err("unbalanced )".into());
        }
        Ok(Regex { alternatives })
    }

    /// Non-overlapping, non-empty matches in `text`, as byte ranges, ignoring case.
    pub fn find_all(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let chars: Vec<char> = text.chars().map(lower).collect();
        let mut matcher = Matcher { text: &chars, budget: 0 };
        let mut out = Vec::new();
        let mut pos = 0;
        let group = Node::Group(self.alternatives.clone());
        let mut starts = Vec::new();
        let starts = first_chars(std::slice::from_ref(&group), &mut starts).then_some(starts);
        while pos < chars.len() {
            if let Some(starts) = &starts
                && !starts.contains(&chars[pos])
            {
                pos += 1;
                continue;
            }
            matcher.budget = 100_000;
            let mut end = None;
            let matched = matcher.sequence(std::slice::from_ref(&group), pos, &mut |_, p| {
                end = Some(p);
                p > pos
            });
            match end {
                Some(e) if matched => {
                    out.push(offsets[pos]..offsets[e]);
                    pos = e;
                }
                _ => pos += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pattern: &str, text: &str) -> Vec<String> {
        let regex = Regex::new(pattern).unwrap();
        regex.find_all(text).into_iter().map(|r| text[r].to_string()).collect()
    }

    #[test]
    fn matching() {
        assert_eq!(found("лох|дурак", "Ты ДУРАК и лох"), vec!["ДУРАК", "лох"]);
        assert_eq!(found(r"\bкостыль\w*", "Костыльный код, не костыль"), vec!["Костыльный", "костыль"]);
        assert_eq!(found("[а-я]+ка", "Заглушка"), vec!["Заглушка"]);
        assert_eq!(found("todo:?", "// TODO: fix"), vec!["TODO:"]);
        assert_eq!(found("a{2,3}", "aaaa"), vec!["aaa"]);
        assert_eq!(found("^хак", "хак\nне хак"), vec!["хак"]);
        assert!(Regex::new("(abc").is_err());
    }
}
