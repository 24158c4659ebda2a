//! Suppression comments as 1C teams write them for BSL Language Server:
//! `// BSLLS:Ключ-off` ... `// BSLLS:Ключ-on` for one rule, `// BSLLS-off` ... `// BSLLS-on` for
//! every rule, and the Russian `выкл`/`вкл`. A suppression comment after code on the same
//! line silences that line only.

use bsl_syntax::NodeExt;
use bsl_syntax::Parse;

#[derive(Debug)]
struct Marker {
    offset: usize,
    /// `None` for every rule.
    code: Option<String>,
    off: bool,
    /// `Some(line)` when the comment trails code, so it covers that line alone.
    line_only: Option<u32>,
}

/// The suppression markers of one module.
#[derive(Debug, Default)]
pub struct Suppressions {
    markers: Vec<Marker>,
}

impl Suppressions {
    pub fn parse(parse: &Parse) -> Suppressions {
        let text = parse.text();
        let mut markers = Vec::new();
        let mut from = 0;
        while let Some(found) = find_ascii_ignore_case(&text[from..], "bslls") {
            let at = from + found;
            from = at + 5;
            let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            // The marker must stand in a comment, right after a `//` (which may follow other
            // comment text: `Код(); // пояснение // BSLLS:Ключ-off`).
            let Some(comment) = parse.root().descendant_for_byte_range(at, at + 5) else { continue };
            if comment.kind_str() != "comment" {
                continue;
            }
            let Some(slashes) = text[comment.start_byte()..at].rfind("//") else { continue };
            if !text[comment.start_byte() + slashes + 2..at].trim().is_empty() {
                continue;
            }
            let comment_offset = comment.start_byte();
            let rest = &text[at + 5..];
            let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
            let directive = &rest[..end];
            let (code, switch) = match directive.strip_prefix(':') {
                Some(keyed) => match keyed.rsplit_once('-') {
                    Some((code, switch)) => (Some(code.to_string()), switch),
                    None => continue,
                },
                None => (None, directive.trim_start_matches('-')),
            };
            let off = match switch.to_lowercase().as_str() {
                "off" | "выкл" => true,
                "on" | "вкл" => false,
                _ => continue,
            };
            let trails_code = !text[line_start.min(comment_offset)..comment_offset].trim().is_empty();
            let line_only = trails_code.then(|| parse.line_index().line_of(at));
            markers.push(Marker { offset: at, code, off, line_only });
        }
        Suppressions { markers }
    }

    /// Whether a diagnostic of rule `code` starting at `offset` is switched off.
    pub fn is_suppressed(&self, code: &str, offset: usize, parse: &Parse) -> bool {
        if self.markers.is_empty() {
            return false;
        }
        let applies = |m: &Marker| m.code.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(code));
        let line = parse.line_index().line_of(offset);
        if self.markers.iter().any(|m| m.off && m.line_only == Some(line) && applies(m)) {
            return true;
        }
        // The last block marker before the offset decides, per rule and for all rules.
        let mut state_all = false;
        let mut state_rule = None;
        for marker in self.markers.iter().filter(|m| m.line_only.is_none() && m.offset < offset) {
            match &marker.code {
                None => {
                    state_all = marker.off;
                    state_rule = None;
                }
                Some(c) if c.eq_ignore_ascii_case(code) => state_rule = Some(marker.off),
                Some(_) => {}
            }
        }
        state_rule.unwrap_or(state_all)
    }
}

fn find_ascii_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    let (lower, upper) = (needle[0].to_ascii_lowercase(), needle[0].to_ascii_uppercase());
    // Jump between candidates for the first letter: most modules have none at all.
    memchr::memchr2_iter(lower, upper, bytes)
        .find(|&at| bytes.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressed(text: &str, code: &str, marker: &str) -> bool {
        let parse = Parse::new(text);
        Suppressions::parse(&parse).is_suppressed(code, text.find(marker).unwrap(), &parse)
    }

    #[test]
    fn blocks_lines_and_languages() {
        let text = "А = 1; // итог // BSLLS:LineLength-off\n// BSLLS:MagicNumber-off\nБ = 2;\n// BSLLS:MagicNumber-on\nВ = 3;\nГ = 4; // BSLLS:MagicNumber-выкл\nД = 5;\n// BSLLS-off\nЕ = 6;\n";
        assert!(!suppressed(text, "MagicNumber", "А"));
        assert!(suppressed(text, "LineLength", "А"), "a marker after other comment text counts");
        assert!(suppressed(text, "MagicNumber", "Б"));
        assert!(!suppressed(text, "LineLength", "Б"), "another rule is not switched off");
        assert!(!suppressed(text, "MagicNumber", "В"));
        assert!(suppressed(text, "MagicNumber", "Г"), "a trailing comment covers its line");
        assert!(!suppressed(text, "MagicNumber", "Д"), "... and only its line");
        assert!(suppressed(text, "LineLength", "Е"));
    }

    #[test]
    fn text_inside_strings_is_not_a_marker() {
        let text = "А = \"// BSLLS-off\";\nБ = 2;\n";
        assert!(!suppressed(text, "MagicNumber", "Б"));
    }
}
