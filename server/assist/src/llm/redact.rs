//! Secret redaction before anything is sent to a model: passwords, tokens, connection
//! strings and keys — in string literals assigned to (or inserted under) a secret-looking
//! name, `key=value` pairs inside literals, credentials in URLs, and well-known token
//! shapes — become `<REDACTED>`, and the number of replacements is reported.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// What replaces a secret.
pub const REDACTED: &str = "<REDACTED>";

const SECRET_WORDS: &str = r"пароль|password|passwd|pwd|token|токен|secret|секрет|apikey|api_key|api-key|ключапи|ключдоступа|accesskey|access_key|privatekey|private_key|секретныйключ|clientsecret|client_secret";

struct Pattern {
    regex: Regex,
    /// The capture group that holds the secret (0: the whole match).
    group: usize,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |re: &str, group: usize| Pattern { regex: Regex::new(re).expect("redaction pattern"), group };
    vec![
        // PEM private keys, whole.
        p(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", 0),
        // `Пароль = "..."`, `Объект.ApiToken = "..."`.
        p(&format!(r#"(?i)[\p{{L}}\w.]*(?:{SECRET_WORDS})[\p{{L}}\w]*\s*=\s*"((?:[^"\n]|"")+)""#), 1),
        // `.Вставить("Пароль", "...")`, `Новый Структура("Пароль", "...")`.
        p(&format!(r#"(?i)"[\p{{L}}\w]*(?:{SECRET_WORDS})[\p{{L}}\w]*"\s*,\s*"((?:[^"\n]|"")+)""#), 1),
        // `scheme://user:password@host`.
        p(r#"(?i)[a-z][a-z0-9+.-]*://[^:/\s"@]+:([^@\s"/]+)@"#, 1),
        // Well-known token shapes.
        p(r"\bsk-[A-Za-z0-9_-]{16,}", 0),
        p(r"\bgh[pousr]_[A-Za-z0-9]{20,}", 0),
        p(r"\bAKIA[0-9A-Z]{16}\b", 0),
        p(r"\bxox[abprs]-[A-Za-z0-9-]{10,}", 0),
        p(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", 0),
        // `Authorization: Bearer ...` pasted into code.
        p(r"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{12,})", 1),
    ]
});

/// `Pwd=...;`, `password: ...` — only inside string literals (connection strings, settings
/// text), where code such as `Если Пароль = Неопределено` cannot be.
static KEY_VALUE: LazyLock<Pattern> = LazyLock::new(|| Pattern {
    regex: Regex::new(&format!(r#"(?i)(?:^|[^\p{{L}}\w])(?:{SECRET_WORDS})\s*[=:]\s*([^;"\s&,|]+)"#)).expect("pattern"),
    group: 1,
});

/// A string literal's part on one line: `"..."` (to the closing quote or the line's end) or
/// a continuation line `|...` of a multi-line literal.
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)"(?:[^"\n]|"")*(?:"|$)|^[ \t]*\|[^\n]*"#).expect("literal pattern"));

/// The text with secrets replaced, and how many were replaced.
pub fn redact(text: &str) -> (String, usize) {
    let mut count = 0;
    let mut out = LITERAL
        .replace_all(text, |c: &Captures<'_>| {
            let (literal, n) = apply(&KEY_VALUE, &c[0]);
            count += n;
            literal
        })
        .into_owned();
    for pattern in PATTERNS.iter() {
        let (replaced, n) = apply(pattern, &out);
        out = replaced;
        count += n;
    }
    (out, count)
}

fn apply(pattern: &Pattern, text: &str) -> (String, usize) {
    let mut count = 0;
    let out = pattern
        .regex
        .replace_all(text, |c: &Captures<'_>| {
            let whole = c.get(0).expect("match");
            let Some(secret) = c.get(pattern.group) else { return whole.as_str().to_string() };
            if secret.as_str() == REDACTED {
                return whole.as_str().to_string();
            }
            count += 1;
            let s = whole.as_str();
            let (a, b) = (secret.start() - whole.start(), secret.end() - whole.start());
            format!("{}{REDACTED}{}", &s[..a], &s[b..])
        })
        .into_owned();
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_planted_secrets() {
        let text = r#"Пароль = "Qwerty123";
Соединение = "Srvr=db;Ref=erp;Usr=admin;Pwd=S3cret!;";
Параметры.Вставить("ApiToken", "abc-def-123456");
URL = "postgres://erp:hunter2@db.local/erp";
Ключ = "sk-ABCDEFGHIJKLMNOPQRSTUV";
Имя = "обычная строка";"#;
        let (out, count) = redact(text);
        for secret in ["Qwerty123", "S3cret!", "abc-def-123456", "hunter2", "sk-ABCDEFGHIJKLMNOPQRSTUV"] {
            assert!(!out.contains(secret), "{secret} left in {out}");
        }
        assert!(out.contains("обычная строка"));
        assert_eq!(count, 5, "{out}");
        // Redacting again finds nothing new.
        assert_eq!(redact(&out).1, 0);
    }

    #[test]
    fn leaves_code_about_passwords_alone() {
        let text = "Если Пароль = Неопределено Тогда\n\tПароль = ПолучитьПароль(Пользователь);\nКонецЕсли;\n// Пароль: Строка\n";
        assert_eq!(redact(text), (text.to_string(), 0));
        let multi = "Текст = \"Srvr=db;\n\t|Pwd=Multi123;\";";
        let (out, n) = redact(multi);
        assert_eq!(n, 1);
        assert!(!out.contains("Multi123"));
    }
}
