//! Preprocessor conditions: the symbols of `#Если ... Тогда` and their logic.
//!
//! The grammar keeps each preprocessor line as one token; this module parses the condition
//! of `#Если`/`#ИначеЕсли` into an expression over the platform's symbols, so later layers
//! can decide where the code in each branch runs.

use crate::keywords::eq_ignore_case;

/// A symbol of a preprocessor condition: where the code is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PreprocSymbol {
    Client,
    AtClient,
    Server,
    AtServer,
    ThinClient,
    WebClient,
    MobileClient,
    MobileAppClient,
    MobileAppServer,
    MobileStandaloneServer,
    ThickClientOrdinaryApplication,
    ThickClientManagedApplication,
    ExternalConnection,
    /// OneScript: the operating system the script runs on.
    Windows,
    Linux,
    MacOS,
}

/// `(symbol, Russian, English)`; OneScript's OS symbols exist in Latin only.
const SYMBOLS: &[(PreprocSymbol, &str, &str)] = &[
    (PreprocSymbol::Client, "Клиент", "Client"),
    (PreprocSymbol::AtClient, "НаКлиенте", "AtClient"),
    (PreprocSymbol::Server, "Сервер", "Server"),
    (PreprocSymbol::AtServer, "НаСервере", "AtServer"),
    (PreprocSymbol::ThinClient, "ТонкийКлиент", "ThinClient"),
    (PreprocSymbol::WebClient, "ВебКлиент", "WebClient"),
    (PreprocSymbol::MobileClient, "МобильныйКлиент", "MobileClient"),
    (PreprocSymbol::MobileAppClient, "МобильноеПриложениеКлиент", "MobileAppClient"),
    (PreprocSymbol::MobileAppServer, "МобильноеПриложениеСервер", "MobileAppServer"),
    (PreprocSymbol::MobileStandaloneServer, "МобильныйАвтономныйСервер", "MobileStandaloneServer"),
    (PreprocSymbol::ThickClientOrdinaryApplication, "ТолстыйКлиентОбычноеПриложение", "ThickClientOrdinaryApplication"),
    (
        PreprocSymbol::ThickClientManagedApplication,
        "ТолстыйКлиентУправляемоеПриложение",
        "ThickClientManagedApplication",
    ),
    (PreprocSymbol::ExternalConnection, "ВнешнееСоединение", "ExternalConnection"),
    (PreprocSymbol::Windows, "Windows", "Windows"),
    (PreprocSymbol::Linux, "Linux", "Linux"),
    (PreprocSymbol::MacOS, "MacOS", "MacOS"),
];

impl PreprocSymbol {
    pub fn from_name(name: &str) -> Option<Self> {
        SYMBOLS
            .iter()
            .find(|(_, ru, en)| eq_ignore_case(name, ru) || eq_ignore_case(name, en))
            .map(|&(symbol, _, _)| symbol)
    }

    /// The Russian and English name.
    pub fn names(self) -> (&'static str, &'static str) {
        let &(_, ru, en) = SYMBOLS.iter().find(|(s, _, _)| *s == self).expect("every symbol is listed");
        (ru, en)
    }
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreprocExpr {
    Symbol(PreprocSymbol),
    /// A word that is not a platform symbol; the platform rejects it, we keep it.
    Unknown(String),
    Not(Box<PreprocExpr>),
    And(Box<PreprocExpr>, Box<PreprocExpr>),
    Or(Box<PreprocExpr>, Box<PreprocExpr>),
}

impl PreprocExpr {
    /// Evaluates the condition with `defined` telling which symbols hold; unknown symbols
    /// are false, as the platform treats them.
    pub fn eval(&self, defined: &dyn Fn(PreprocSymbol) -> bool) -> bool {
        match self {
            PreprocExpr::Symbol(symbol) => defined(*symbol),
            PreprocExpr::Unknown(_) => false,
            PreprocExpr::Not(inner) => !inner.eval(defined),
            PreprocExpr::And(a, b) => a.eval(defined) && b.eval(defined),
            PreprocExpr::Or(a, b) => a.eval(defined) || b.eval(defined),
        }
    }

    /// Every symbol the condition mentions.
    pub fn symbols(&self) -> Vec<PreprocSymbol> {
        let mut out = Vec::new();
        self.collect_symbols(&mut out);
        out
    }

    fn collect_symbols(&self, out: &mut Vec<PreprocSymbol>) {
        match self {
            PreprocExpr::Symbol(symbol) if !out.contains(symbol) => out.push(*symbol),
            PreprocExpr::Symbol(_) | PreprocExpr::Unknown(_) => {}
            PreprocExpr::Not(inner) => inner.collect_symbols(out),
            PreprocExpr::And(a, b) | PreprocExpr::Or(a, b) => {
                a.collect_symbols(out);
                b.collect_symbols(out);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Open,
    Close,
    Other(&'a str),
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if rest.starts_with("//") {
            break;
        } else if c == '(' {
            tokens.push(Token::Open);
            rest = &rest[1..];
        } else if c == ')' {
            tokens.push(Token::Close);
            rest = &rest[1..];
        } else if c.is_alphanumeric() || c == '_' {
            let end = rest.find(|ch: char| !(ch.is_alphanumeric() || ch == '_')).unwrap_or(rest.len());
            tokens.push(Token::Word(&rest[..end]));
            rest = &rest[end..];
        } else {
            tokens.push(Token::Other(&rest[..c.len_utf8()]));
            rest = &rest[c.len_utf8()..];
        }
    }
    tokens
}

fn is_word(token: Option<&Token<'_>>, ru: &str, en: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if eq_ignore_case(w, ru) || eq_ignore_case(w, en))
}

struct ConditionParser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
}

impl<'a> ConditionParser<'a> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<PreprocExpr, String> {
        let mut left = self.and()?;
        while is_word(self.peek(), "ИЛИ", "Or") {
            self.pos += 1;
            left = PreprocExpr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<PreprocExpr, String> {
        let mut left = self.not()?;
        while is_word(self.peek(), "И", "And") {
            self.pos += 1;
            left = PreprocExpr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<PreprocExpr, String> {
        if is_word(self.peek(), "НЕ", "Not") {
            self.pos += 1;
            return Ok(PreprocExpr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<PreprocExpr, String> {
        match self.peek().cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err("expected `)` in the preprocessor condition".to_string());
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Word(word)) if !is_word(self.peek(), "Тогда", "Then") => {
                self.pos += 1;
                Ok(PreprocSymbol::from_name(word)
                    .map_or_else(|| PreprocExpr::Unknown(word.to_string()), PreprocExpr::Symbol))
            }
            Some(Token::Other(other)) => Err(format!("unexpected `{other}` in the preprocessor condition")),
            _ => Err("expected a preprocessor symbol".to_string()),
        }
    }
}

/// Parses the text after `#Если`/`#ИначеЕсли` (the keyword itself excluded), which must end
/// with `Тогда`/`Then`, optionally followed by a comment.
pub fn parse_condition(text: &str) -> Result<PreprocExpr, String> {
    let mut parser = ConditionParser { tokens: tokenize(text), pos: 0 };
    let expr = parser.or()?;
    if !is_word(parser.peek(), "Тогда", "Then") {
        return Err("expected `Тогда` (`Then`) after the preprocessor condition".to_string());
    }
    parser.pos += 1;
    if parser.pos < parser.tokens.len() {
        return Err("unexpected text after `Тогда` in the preprocessor line".to_string());
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_symbols() {
        let expr = parse_condition("Сервер Или ТолстыйКлиентОбычноеПриложение И НЕ ВебКлиент Тогда").unwrap();
        let server_only = |s| s == PreprocSymbol::Server;
        assert!(expr.eval(&server_only));
        assert_eq!(expr.symbols().len(), 3);
        let PreprocExpr::Or(_, right) = expr else { panic!("ИЛИ binds loosest") };
        assert!(matches!(*right, PreprocExpr::And(_, _)));
    }

    #[test]
    fn english_parentheses_and_unknown_symbols() {
        let expr = parse_condition("NOT (Client OR Linux) AND Marsohod THEN // comment").unwrap();
        assert!(!expr.eval(&|_| true), "an unknown symbol is false");
        assert!(expr.to_owned().symbols().contains(&PreprocSymbol::Linux));
    }

    #[test]
    fn malformed_conditions() {
        assert!(parse_condition("Сервер").is_err());
        assert!(parse_condition("(Сервер Тогда").is_err());
        assert!(parse_condition("Тогда").is_err());
        assert!(parse_condition("Сервер Тогда Лишнее").is_err());
    }
}
