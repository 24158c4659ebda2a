//! UsingHardcodeSecretInformation: passwords, tokens and keys written into string literals.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::global_calls::is_new_of;
use crate::rules::support::r2_args::argument_at;
use crate::rules::support::r2_strings::{contains_any, string_value, word_list};
use crate::rules::util::{arguments, call_object, called_name, is_any};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a non-empty string literal given to something named like a secret: a variable or
/// property (`Пароль = "..."`, `Настройки.ТокенДоступа = "..."`), a key of a structure or map
/// (`Вставить("Пароль", "...")`, `Новый Структура("Логин, Пароль", "admin", "...")`,
/// `Параметры["Token"] = "..."`), a parameter's default value, or the password argument of
/// `Новый HTTPСоединение`, `FTPСоединение` and `WSОпределения`. Standard 740.
///
/// ## Why
/// A secret in the source code is read by everyone who sees the code: developers,
/// contractors, whoever gets a copy of the configuration or of its repository. It cannot be
/// changed without a release and it is the same in every installation. Keep secrets in the
/// secure storage (`ОбщегоНазначения.ЗаписатьДанныеВБезопасноеХранилище` in SSL) or in
/// settings only administrators can read.
///
/// ## What counts as a secret's name
/// A name that is one of the words of `searchWords`, or ends with one (`НовыйПароль`,
/// `AccessToken`), or, for Russian words, starts with one (`ПарольПользователя`,
/// `ТокенДоступа`). So `ТипТокена` and `ДлинаПароля` are not secrets.
///
/// ## What is not a secret's value
/// An empty or blank string, a mask of asterisks (`"********"`), a text with blanks, a
/// template with `%1`, a path from `/`, and a name rather than a value: a Cyrillic identifier
/// (`Поля.Вставить("Пароль", "ПользовательИБПароль")`, a field mapping) or an identifier that
/// itself mentions a secret (`"Password"`).
///
/// ## Example
/// ```bsl
/// Соединение = Новый HTTPСоединение(Сервер, , "exchange", "Qwerty123"); // flagged
/// Параметры.Вставить("Пароль", "Qwerty123"); // flagged
/// ```
pub struct UsingHardcodeSecretInformation;

static META: RuleMeta = RuleMeta {
    code: "UsingHardcodeSecretInformation",
    name_ru: "Хранение конфиденциальной информации в коде",
    name_en: "Storing confidential information in code",
    rule_type: RuleType::Vulnerability,
    severity: Severity::Critical,
    tags: &["standard"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "searchWords",
        default: ParamDefault::Str(
            "Пароль|Password|Passwd|Секрет|Secret|Токен|Token|ApiKey|APIКлюч|КлючAPI|AccessKey|SecretKey|PrivateKey|ЗакрытыйКлюч",
        ),
        description_ru: "Слова через |, по которым имя считается именем секрета",
        description_en: "Words separated by | that make a name a secret's",
    }],
    module_kinds: &[],
};

impl Rule for UsingHardcodeSecretInformation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["assignment_statement", "call_expression", "new_expression", "parameter"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let mut found: Vec<(String, Node<'_>)> = Vec::new();
        match node.kind_str() {
            "assignment_statement" => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
                else {
                    return;
                };
                if right.kind_str() == "string"
                    && let Some(name) = target_name(left, text)
                {
                    found.push((name, right));
                }
            }
            "parameter" => {
                if let (Some(name), Some(default)) =
                    (node.field("name"), node.field("default"))
                {
                    found.push((text[name.byte_range()].to_string(), default));
                }
            }
            "call_expression" => {
                let inserts = call_object(node).is_some()
                    && called_name(node, text).is_some_and(|n| is_any(n, &["Вставить", "Insert"]));
                if !inserts {
                    return;
                }
                let args = arguments(node);
                if args.len() == 2 && args[0].kind_str() == "string" && args[1].kind_str() == "string" {
                    found.push((string_value(args[0], text), args[1]));
                }
            }
            _ => {
                if is_new_of(node, text, &["Структура", "Structure", "ФиксированнаяСтруктура", "FixedStructure"])
                {
                    structure_values(node, text, &mut found);
                } else if let Some(value) = password_position(node, text).and_then(|p| argument_at(node, p)) {
                    found.push((ctx.tr("Пароль", "Password"), value));
                }
            }
        }
        // Most assignments take no literal: leave before reading the parameter.
        found.retain(|(_, value)| value.kind_str() == "string");
        if found.is_empty() {
            return;
        }
        let words = word_list(&ctx.param_str("searchWords"));
        for (name, value) in found {
            if !is_identifier(&name) || !is_secret_name(&name, &words) {
                continue;
            }
            let literal = string_value(value, text);
            let trimmed = literal.trim();
            if trimmed.is_empty() || trimmed.chars().all(|c| c == '*') || trimmed.eq_ignore_ascii_case(&name) {
                continue;
            }
            if !looks_like_secret(trimmed, &words) {
                continue;
            }
            let message = ctx.tr(
                format!("\"{name}\" получает значение из кода: храните секреты в безопасном хранилище"),
                format!("\"{name}\" gets its value from the code: keep secrets in a secure storage"),
            );
            ctx.report(value.byte_range(), message);
        }
    }
}

/// The name an assignment writes: a variable, a property, or a string key in brackets.
fn target_name(left: Node<'_>, text: &str) -> Option<String> {
    match left.kind_str() {
        "identifier" => Some(text[left.byte_range()].to_string()),
        "member_expression" => left.field("property").map(|p| text[p.byte_range()].to_string()),
        "index_expression" => {
            left.field("index").filter(|i| i.kind_str() == "string").map(|i| string_value(i, text))
        }
        _ => None,
    }
}

/// `Новый Структура("Ключ1, Ключ2", Значение1, Значение2)`: each key with its value.
fn structure_values<'t>(node: Node<'t>, text: &str, found: &mut Vec<(String, Node<'t>)>) {
    let Some(keys) = argument_at(node, 0).filter(|k| k.kind_str() == "string") else { return };
    let keys = string_value(keys, text);
    for (index, key) in keys.split(',').enumerate() {
        if let Some(value) = argument_at(node, index + 1) {
            found.push((key.trim().to_string(), value));
        }
    }
}

/// The position of the password among the constructor's parameters.
fn password_position(node: Node<'_>, text: &str) -> Option<usize> {
    if is_new_of(node, text, &["HTTPСоединение", "HTTPConnection", "FTPСоединение", "FTPConnection"])
    {
        Some(3)
    } else if is_new_of(node, text, &["WSОпределения", "WSDefinitions"]) {
        Some(2)
    } else {
        None
    }
}

/// Whether a name is a secret's: one of the words, ending with one, or starting with a
/// Russian one followed by the next word of the name.
fn is_secret_name(name: &str, words: &[String]) -> bool {
    let lower = name.to_lowercase();
    words.iter().any(|word| {
        if lower == *word || lower.ends_with(word.as_str()) {
            return true;
        }
        let russian = word.chars().any(|c| ('а'..='я').contains(&c) || c == 'ё');
        russian
            && lower.starts_with(word.as_str())
            && name.chars().nth(word.chars().count()).is_some_and(|c| c.is_uppercase() || c == '_')
    })
}

/// Whether a name is a word of letters, digits and `_` (a key such as `"/oauth/token"` is not
/// a name).
fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a literal given to a secret's name may be the secret itself, not a name, a text
/// or a template: no blanks, no `%1` placeholders, not a path from `/`, and not a Cyrillic
/// identifier (`"ПользовательИБПароль"`, `"Раздел1"`: names of fields and modes).
fn looks_like_secret(value: &str, words: &[String]) -> bool {
    if value.chars().any(char::is_whitespace) || value.starts_with('/') || value.contains("%1") {
        return false;
    }
    let cyrillic =
        value.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)) || c == 'ё' || c == 'Ё');
    if cyrillic && is_identifier(value) {
        return false;
    }
    // A name that itself names the secret (`"PasswordField"`) is a reference, not a value.
    !(is_identifier(value) && contains_any(&value.to_lowercase(), words))
}
