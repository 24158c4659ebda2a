//! A parsed module: text plus tree, re-parsed incrementally after each edit.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use tree_sitter::{InputEdit, Language, Node, Parser, Point, Tree};

use crate::errors::{SyntaxError, collect_errors};
use crate::line_index::{LineIndex, floor_char_boundary};
use crate::module::Module;

/// The BSL language, loaded once.
pub fn language() -> &'static Language {
    static LANGUAGE: OnceLock<Language> = OnceLock::new();
    LANGUAGE.get_or_init(|| tree_sitter_bsl::LANGUAGE.into())
}

thread_local! {
    // A parser keeps scratch buffers between parses; one per thread avoids re-allocating them.
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut parser = Parser::new();
        parser.set_language(language()).expect("the grammar's ABI matches the runtime");
        parser
    });
}

fn run_parser(text: &str, old: Option<&Tree>) -> Tree {
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(text, old)
            .expect("a parser with a language, no timeout and no cancellation flag always returns a tree")
    })
}

/// A replacement of `range` (byte offsets into the current text) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

impl TextEdit {
    pub fn new(range: Range<usize>, new_text: impl Into<String>) -> Self {
        TextEdit { range, new_text: new_text.into() }
    }
}

/// The syntax of one module. Always has a tree, whatever the text; syntax errors are data.
#[derive(Debug, Clone)]
pub struct Parse {
    text: String,
    tree: Tree,
    line_index: OnceLock<LineIndex>,
    /// The typed view, built on first use and shared by every reader of this version.
    module: OnceLock<Arc<Module>>,
    /// The typed view of an earlier version and where the text changed since, so the next
    /// view reuses the methods the edits did not touch.
    stale_module: Stale<Module>,
    /// The root's children (see [`Parse::parts`]), listed on first use.
    children: PartList,
    /// Fingerprints of the root's children (see [`Parse::part_hashes`]), built on first use.
    hashes: OnceLock<Arc<PartHashes>>,
    /// Those of an earlier version and where the text changed since: a part outside the
    /// change keeps its text, so its fingerprint is taken instead of hashing it again.
    stale_hashes: Stale<PartHashes>,
    /// Alternative preprocessor branches left out of the tree (see [`Parse::masked`]).
    masked: Vec<Range<usize>>,
}

impl Parse {
    /// Parses a whole text.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let tree = run_parser(&text, None);
        let mut parse = Parse {
            text,
            tree,
            line_index: OnceLock::new(),
            module: OnceLock::new(),
            stale_module: Stale::default(),
            children: PartList::default(),
            hashes: OnceLock::new(),
            stale_hashes: Stale::default(),
            masked: Vec::new(),
        };
        parse.mask_split_branches();
        parse
    }

    /// Byte ranges of alternative preprocessor branches that are not in the tree.
    ///
    /// Preprocessor lines are extras, so both branches of `#Если ... #Иначе ... #КонецЕсли`
    /// are normally parsed as one stream of code. Where a directive splits a statement or
    /// an expression (`Если #Если Сервер Тогда А #Иначе Б #КонецЕсли Тогда`), that stream is
    /// not valid code; the module is then parsed with the bodies of every `#ИначеЕсли` and
    /// `#Иначе` branch blanked out, which is how the platform sees it when the first branch
    /// holds. The blanked ranges are listed here so later layers know what was not analysed.
    pub fn masked(&self) -> &[Range<usize>] {
        &self.masked
    }

    /// Re-parses with alternative branches blanked when that removes the syntax errors.
    fn mask_split_branches(&mut self) {
        self.masked.clear();
        if !self.tree.root_node().has_error() {
            return;
        }
        let ranges = crate::module::alternative_branches(self);
        if ranges.is_empty() {
            return;
        }
        let mut masked = self.text.clone().into_bytes();
        for range in &ranges {
            for byte in &mut masked[range.clone()] {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b' ';
                }
            }
        }
        let masked = String::from_utf8(masked).expect("blanking whole lines with ASCII spaces keeps UTF-8 valid");
        let tree = run_parser(&masked, None);
        if !tree.root_node().has_error() {
            self.children = PartList::default();
            self.tree = tree;
            self.masked = ranges;
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    /// The root's children in order: the top-level parts of the module (methods, comments,
    /// statements, preprocessor lines). Listed once per version and shared: walking a large
    /// module's root with a cursor climbs through the hidden nodes tree-sitter keeps its
    /// repetitions in, and every layer that goes part by part would pay for it again.
    pub fn parts(&self) -> &[Node<'_>] {
        self.children.0.get_or_init(|| {
            let root = self.tree.root_node();
            let mut cursor = root.walk();
            root.children(&mut cursor).map(unbind).collect()
        })
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Whether the module has no syntax error.
    pub fn is_valid(&self) -> bool {
        !self.tree.root_node().has_error()
    }

    /// The syntax errors, in text order.
    pub fn errors(&self) -> Vec<SyntaxError> {
        collect_errors(self)
    }

    /// Typed views of the module: methods, variables, regions, preprocessor blocks. Built
    /// once per version of the text.
    pub fn module(&self) -> Arc<Module> {
        self.module
            .get_or_init(|| {
                Arc::new(match self.stale_module.take() {
                    Some((old, changed)) => Module::updated(self, old, changed),
                    None => Module::new(self),
                })
            })
            .clone()
    }

    /// A fingerprint ([`crate::text_hash`]) of the text of each of the root's children, in
    /// order: the top-level parts of the module (methods, comments, statements). Built once
    /// per version; after an edit only the parts the edit touched are hashed again, so the
    /// layers that key their caches by a part's text do not read a large module whole on
    /// every keystroke.
    pub fn part_hashes(&self) -> &[u64] {
        &self
            .hashes
            .get_or_init(|| {
                let stale = self.stale_hashes.take();
                Arc::new(PartHashes::new(self, stale.as_ref().map(|(old, changed)| (&**old, *changed))))
            })
            .hashes
    }

    /// The text of a node.
    pub fn node_text(&self, node: Node<'_>) -> &str {
        &self.text[node.byte_range()]
    }

    /// Applies an edit and re-parses incrementally, reusing the unchanged parts of the tree.
    /// Offsets are clamped to the text and to character boundaries. (Which ranges changed is
    /// not computed: tree-sitter's comparison of the two trees costs as much as the reparse
    /// on a large module, and the layers above reuse work by text fingerprints instead.)
    pub fn edit(&mut self, edit: &TextEdit) {
        let start = floor_char_boundary(&self.text, edit.range.start);
        let old_end = floor_char_boundary(&self.text, edit.range.end.max(start));
        let new_end = start + edit.new_text.len();
        let start_position = point_at(&self.text, start);
        let old_end_position = advance_point(&self.text[start..old_end], start_position);
        let new_end_position = advance_point(&edit.new_text, start_position);
        // Whether the edit may have created or removed a preprocessor split (see `masked`).
        let touches_preprocessor = edit.new_text.contains('#') || self.text[start..old_end].contains('#');
        self.text.replace_range(start..old_end, &edit.new_text);
        // Shifting the line starts after the edit is cheaper than finding every line break
        // of a large module again.
        if let Some(index) = self.line_index.get_mut() {
            index.edit(&self.text, start, old_end, &edit.new_text);
        }
        let changed = Changed { start, old_end, new_end };
        self.stale_module.keep(self.module.take(), &changed);
        self.stale_hashes.keep(self.hashes.take(), &changed);
        // The listed parts are nodes of the tree about to be replaced.
        self.children = PartList::default();
        self.tree.edit(&InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position,
            old_end_position,
            new_end_position,
        });
        if !self.masked.is_empty() {
            // The blanked ranges depend on the preprocessor lines, which the edit may have
            // changed: start over. Such modules are rare.
            self.tree = run_parser(&self.text, None);
            self.mask_split_branches();
        } else {
            self.tree = run_parser(&self.text, Some(&self.tree));
            // Re-trying the mask after every keystroke that leaves an ordinary syntax error
            // would parse the module twice; only an edit of a preprocessor line can split.
            if touches_preprocessor && self.tree.root_node().has_error() {
                self.mask_split_branches();
            }
        }
        if !self.masked.is_empty() {
            // The tree is of another text than `text`: no reuse across it.
            *self.stale_module.0.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}

/// Where the text changed between an earlier version and the current one: bytes before
/// `start` are the same in both, and bytes from `old_end` of the earlier version on are
/// the same as bytes from `new_end` of the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Changed {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Changed {
    /// The change from the earlier version to the text after one more edit, `next`, whose
    /// offsets are in the current text.
    fn then(self, next: &Changed) -> Changed {
        let reach = self.new_end.max(next.old_end);
        Changed {
            start: self.start.min(next.start),
            old_end: self.old_end + (reach - self.new_end),
            new_end: reach + next.new_end - next.old_end,
        }
    }
}

/// Something built from an earlier version (a typed view, part fingerprints) with what
/// changed in the text since (see [`Parse::module`] and [`Parse::part_hashes`]).
#[derive(Debug)]
struct Stale<T>(Mutex<Option<(Arc<T>, Changed)>>);

impl<T> Default for Stale<T> {
    fn default() -> Self {
        Stale(Mutex::new(None))
    }
}

impl<T> Clone for Stale<T> {
    fn clone(&self) -> Self {
        Stale(Mutex::new(self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()))
    }
}

impl<T> Stale<T> {
    /// What is kept, taken out for the version being read to build from.
    fn take(&self) -> Option<(Arc<T>, Changed)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// After an edit: what the version before it had built, if it built it, or else what
    /// was kept from an earlier one, with the edit added to its change.
    fn keep(&mut self, built: Option<Arc<T>>, changed: &Changed) {
        let stale = self.0.get_mut().unwrap_or_else(|e| e.into_inner());
        *stale = match built {
            Some(built) => Some((built, *changed)),
            None => stale.take().map(|(built, before)| (built, before.then(changed))),
        };
    }
}

/// A node of a parse's own tree, stored beside that tree in [`PartList`].
#[allow(unsafe_code)]
fn unbind(node: Node<'_>) -> Node<'static> {
    // SAFETY: a node is a position in the tree-sitter tree that its parse's `tree` points
    // to (a C allocation that does not move with the `Tree` value), which lives as long as
    // the parse or until `tree` is replaced. A `PartList` is handed out only borrowed from
    // its parse (as `Node<'_>`, so no node outlives the borrow); it is emptied wherever the
    // parse's `tree` is replaced, and the clone of a parse (another tree) starts without it.
    unsafe { std::mem::transmute::<Node<'_>, Node<'static>>(node) }
}

/// The root's children of one tree (see [`Parse::parts`]). A clone starts empty: the clone
/// of a parse has its own tree, which the nodes listed here do not belong to.
#[derive(Default)]
struct PartList(OnceLock<Vec<Node<'static>>>);

impl Clone for PartList {
    fn clone(&self) -> Self {
        PartList::default()
    }
}

impl std::fmt::Debug for PartList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartList").field("listed", &self.0.get().map(Vec::len)).finish()
    }
}

/// The fingerprints of a version's top-level parts, with the parts' byte ranges (to find
/// them again in the next version).
#[derive(Debug)]
struct PartHashes {
    ranges: Vec<Range<usize>>,
    hashes: Vec<u64>,
}

impl PartHashes {
    fn new(parse: &Parse, stale: Option<(&PartHashes, Changed)>) -> Self {
        let parts = parse.parts();
        let (mut ranges, mut hashes) = (Vec::with_capacity(parts.len()), Vec::with_capacity(parts.len()));
        // Where the search of the earlier parts goes on: the parts are in text order, and
        // so are the earlier ranges they are looked up at.
        let mut from = 0;
        for child in parts {
            let range = child.byte_range();
            let kept = stale.and_then(|(old, changed)| old.unchanged(&range, changed, &mut from));
            hashes.push(kept.unwrap_or_else(|| crate::text_hash(&parse.text[range.clone()])));
            ranges.push(range);
        }
        PartHashes { ranges, hashes }
    }

    /// The fingerprint of the text now at `range` when that text lies wholly before or
    /// wholly after the change and was a part of this earlier version too. `from` is where
    /// to search from: the ranges looked up must come in text order.
    fn unchanged(&self, range: &Range<usize>, changed: Changed, from: &mut usize) -> Option<u64> {
        let before = if range.end <= changed.start {
            range.clone()
        } else if range.start >= changed.new_end {
            // Bytes from `new_end` on are those from `old_end` on in the earlier text.
            let shift = |at: usize| at - changed.new_end + changed.old_end;
            shift(range.start)..shift(range.end)
        } else {
            return None;
        };
        while self.ranges.get(*from).is_some_and(|r| r.start < before.start) {
            *from += 1;
        }
        self.ranges[*from..]
            .iter()
            .take_while(|r| r.start == before.start)
            .position(|r| r.end == before.end)
            .map(|i| self.hashes[*from + i])
    }
}

/// The tree-sitter point (row, byte column) of an offset; rows count `\n` only, as
/// tree-sitter does.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point { row, column: offset - line_start }
}

/// The point reached from `start` after `inserted` text.
fn advance_point(inserted: &str, start: Point) -> Point {
    let bytes = inserted.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        None => Point { row: start.row, column: start.column + bytes.len() },
        Some(last) => {
            Point { row: start.row + memchr::memchr_iter(b'\n', bytes).count(), column: bytes.len() - last - 1 }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_edits_match_a_fresh_parse() {
        let mut parse = Parse::new("Процедура А()\n\tБ = 1;\nКонецПроцедуры\n");
        let one = parse.text().find('1').unwrap();
        let edits = [
            TextEdit::new(one..one + 1, "2"),
            TextEdit::new(0..0, "// коммент\n"),
            TextEdit::new(30..30, "\tЕсли Б Тогда\n"),
            TextEdit::new(0..4, ""),
        ];
        for edit in edits {
            parse.edit(&edit);
            let fresh = Parse::new(parse.text().to_string());
            assert_eq!(parse.root().to_sexp(), fresh.root().to_sexp(), "after {edit:?}: {}", parse.text());
        }
    }

    /// What a cursor walk of the root gives, as (kind, range) pairs.
    fn walked(parse: &Parse) -> Vec<(String, Range<usize>)> {
        let mut cursor = parse.root().walk();
        parse.root().children(&mut cursor).map(|n| (n.kind().to_string(), n.byte_range())).collect()
    }

    fn listed(parse: &Parse) -> Vec<(String, Range<usize>)> {
        parse.parts().iter().map(|n| (n.kind().to_string(), n.byte_range())).collect()
    }

    #[test]
    fn listed_parts_follow_edits_masks_and_clones() {
        let mut parse = Parse::new("// Шапка\nПроцедура А()\n\tБ = 1;\nКонецПроцедуры\n;\nА();\n");
        assert_eq!(listed(&parse), walked(&parse));
        let before = listed(&parse);
        // A clone keeps its own list of its own tree while the original changes.
        let clone = parse.clone();
        for edit in [
            TextEdit::new(0..0, "Перем Х;\n"),
            // A preprocessor split: the parse is re-done with a branch blanked.
            TextEdit::new(100..100, "Если\n#Если Сервер Тогда\nА\n#Иначе\nБ\n#КонецЕсли\nТогда\nКонецЕсли;\n"),
            TextEdit::new(0..10, ""),
        ] {
            parse.parts();
            parse.edit(&edit);
            assert_eq!(edit.new_text.contains('#'), !parse.masked().is_empty());
            assert_eq!(listed(&parse), walked(&parse), "after {edit:?}: {}", parse.text());
        }
        assert_eq!(listed(&clone), before);
        assert_eq!(listed(&clone), walked(&clone));
    }

    #[test]
    fn part_fingerprints_after_edits_match_a_fresh_parse() {
        let text = "// Первый x\nПроцедура А()\n\tБ = 1;\nКонецПроцедуры\n\n// Второй\nФункция В()\n\tВозврат 2;\nКонецФункции\nА();\n";
        let mut parse = Parse::new(text);
        assert_eq!(parse.part_hashes().len(), parse.root().child_count() as usize);
        // Read after some edits and not others: then the change since the last reading
        // spans several edits.
        let x = text.find('x').unwrap();
        let edits = [
            // The last byte of a part, the part's range unchanged.
            (TextEdit::new(x..x + 1, "y"), true),
            (TextEdit::new(text.find('1').unwrap()..text.find('1').unwrap() + 1, "10"), true),
            (TextEdit::new(0..0, "Перем Х;\n"), false),
            (TextEdit::new(text.len() + 10..text.len() + 10, "// в конце\n"), true),
            (TextEdit::new(20..20, "\n"), false),
            (TextEdit::new(30..40, ""), false),
            (TextEdit::new(5..5, "Функция Г()\nКонецФункции\n"), true),
            (TextEdit::new(0..3, ""), true),
        ];
        for (edit, read) in edits {
            parse.edit(&edit);
            if read {
                let fresh = Parse::new(parse.text().to_string());
                assert_eq!(parse.root().child_count(), fresh.root().child_count());
                assert_eq!(parse.part_hashes(), fresh.part_hashes(), "after {edit:?}: {}", parse.text());
            }
        }
    }

    #[test]
    fn part_fingerprints_follow_parts_that_move_or_change_at_an_edge() {
        // Equal-length statements: after a statement is put in front, each old part's range
        // is held by its neighbour, so only a correct shift finds the right fingerprint.
        let mut parse = Parse::new("А();\nБ();\nВ();\nX = 1;\n");
        parse.part_hashes();
        let x = parse.text().find('X').unwrap();
        for edit in [TextEdit::new(0..0, "Г();\n"), TextEdit::new(x + 6..x + 7, "Y")] {
            parse.edit(&edit);
            let fresh = Parse::new(parse.text().to_string());
            assert_eq!(parse.part_hashes(), fresh.part_hashes(), "after {edit:?}: {}", parse.text());
        }
    }

    #[test]
    fn a_directive_splitting_a_condition_is_parsed_with_the_first_branch() {
        let text = "Если\n#Если Сервер Тогда\n\tА\n#Иначе\n\tБ\n#КонецЕсли\nТогда\n\tВ();\nКонецЕсли;\n";
        let parse = Parse::new(text);
        assert!(parse.errors().is_empty(), "{:?}", parse.errors());
        assert_eq!(parse.masked().len(), 1);
        assert_eq!(&text[parse.masked()[0].clone()].trim(), &"Б");
        assert_eq!(parse.module().preproc_blocks.len(), 1, "the directive lines stay in the tree");
    }

    #[test]
    fn balanced_branches_are_all_parsed() {
        let text = "#Если Сервер Тогда\nА();\n#Иначе\nБ();\n#КонецЕсли\n";
        let parse = Parse::new(text);
        assert!(parse.masked().is_empty());
        assert_eq!(parse.root().named_child_count(), 5);
    }

    #[test]
    fn edits_inside_characters_are_clamped() {
        let mut parse = Parse::new("А = 1;");
        parse.edit(&TextEdit::new(1..1, "x"));
        assert_eq!(parse.text(), "xА = 1;");
    }
}
