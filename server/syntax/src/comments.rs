//! Comment tokens and their lines. A run of `//` comments on consecutive lines is one
//! `comment` token: the first may trail code, each next one stands alone on its line
//! (nothing but blanks before its `//`), and a blank line or a line of code ends the run.
//! A large module holds thousands of comment lines between its methods; as one token per
//! run they are a few hundred top-level parts, which every re-parse and every layer that
//! goes part by part pays for. Readers that want single comments take the lines here.

use std::ops::Range;

/// The comments of a comment token at `range` of `text`, one per line: from its `//` to
/// the end of its line, the line break left out.
pub fn comment_lines(text: &str, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let end = range.end.min(text.len());
    let mut at = range.start.min(end);
    let mut first = true;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let mut start = at;
        if !first {
            // A next line of the run: its blanks before `//` are not the comment's.
            start += text[at..end].len() - text[at..end].trim_start_matches([' ', '\t']).len();
        }
        first = false;
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[start..end]).map_or(end, |i| start + i);
        at = line_end + 1;
        let stop = if text.as_bytes()[..line_end].last() == Some(&b'\r') && line_end > start {
            line_end - 1
        } else {
            line_end
        };
        Some(start..stop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeExt, Parse};

    /// The comment tokens of a module, each as the texts of its lines.
    fn comments(text: &str) -> Vec<Vec<&str>> {
        let parse = Parse::new(text);
        crate::walk::preorder(parse.root())
            .filter(|n| n.kind_str() == "comment")
            .map(|n| comment_lines(text, n.byte_range()).map(|r| &text[r]).collect())
            .collect()
    }

    #[test]
    fn a_run_of_comment_lines_is_one_token() {
        let text = "// Описание\r\n//   подробно\r\n\t  //\tотступ\nА = 1; // хвост\n// под хвостом\n\n// после пустой\nБ = 2;\n";
        assert_eq!(
            comments(text),
            vec![
                vec!["// Описание", "//   подробно", "//\tотступ"],
                vec!["// хвост", "// под хвостом"],
                vec!["// после пустой"],
            ]
        );
    }

    #[test]
    fn code_and_preprocessor_lines_end_a_run() {
        let text =
            "Процедура П()\n\t// один\n\tА = 1;\n\t// два\n#Область Р\n// три\n#КонецОбласти\nКонецПроцедуры // конец";
        assert_eq!(comments(text), vec![vec!["// один"], vec!["// два"], vec!["// три"], vec!["// конец"]]);
    }
}
