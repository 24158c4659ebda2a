//! The typed entries of the knowledge base and the serde forms they are read from.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// Where a piece of the platform API can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Availability {
    pub server: bool,
    pub thin_client: bool,
    pub web_client: bool,
    pub mobile_client: bool,
    pub mobile_server: bool,
    pub external_connection: bool,
}

impl Availability {
    /// Every context.
    pub const ALL: Availability = Availability {
        server: true,
        thin_client: true,
        web_client: true,
        mobile_client: true,
        mobile_server: true,
        external_connection: true,
    };

    /// The context names in file order, with their flags.
    pub fn contexts(&self) -> [(&'static str, bool); 6] {
        [
            ("server", self.server),
            ("thin_client", self.thin_client),
            ("web_client", self.web_client),
            ("mobile_client", self.mobile_client),
            ("mobile_server", self.mobile_server),
            ("external_connection", self.external_connection),
        ]
    }

    /// Whether nothing is marked available (an entry that forgot its availability).
    pub fn is_empty(&self) -> bool {
        *self == Availability::default()
    }

    /// Whether the entry can run on a client (thin, web or mobile).
    pub fn on_client(&self) -> bool {
        self.thin_client || self.web_client || self.mobile_client
    }

    /// Whether the entry can run on the server side (server, mobile server, external connection).
    pub fn on_server(&self) -> bool {
        self.server || self.mobile_server || self.external_connection
    }

    /// Sets one context or an alias: `all`, `client` (thin, web, mobile client) or
    /// `server_side` (server, mobile server, external connection).
    fn set(&mut self, name: &str, value: bool) -> Result<(), String> {
        match name {
            "server" => self.server = value,
            "thin_client" => self.thin_client = value,
            "web_client" => self.web_client = value,
            "mobile_client" => self.mobile_client = value,
            "mobile_server" => self.mobile_server = value,
            "external_connection" => self.external_connection = value,
            "all" => {
                for context in ["server_side", "client"] {
                    self.set(context, value)?;
                }
            }
            "client" => {
                self.thin_client = value;
                self.web_client = value;
                self.mobile_client = value;
            }
            "server_side" => {
                self.server = value;
                self.mobile_server = value;
                self.external_connection = value;
            }
            other => {
                return Err(format!(
                    "unknown availability context `{other}` (expected server, thin_client, web_client, \
                     mobile_client, mobile_server, external_connection, or the aliases all, client, server_side)"
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LABELS: [&str; 6] =
            ["сервер", "тонкий клиент", "веб-клиент", "мобильный клиент", "мобильный сервер", "внешнее соединение"];
        let names: Vec<&str> =
            self.contexts().iter().zip(LABELS).filter(|((_, on), _)| *on).map(|(_, label)| label).collect();
        f.write_str(&names.join(", "))
    }
}

impl<'de> Deserialize<'de> for Availability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AvailabilityVisitor;
        impl<'de> Visitor<'de> for AvailabilityVisitor {
            type Value = Availability;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of contexts, one context name, or a table of context = true/false")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Availability, E> {
                let mut a = Availability::default();
                a.set(v, true).map_err(E::custom)?;
                Ok(a)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Availability, A::Error> {
                let mut a = Availability::default();
                while let Some(name) = seq.next_element::<String>()? {
                    a.set(&name, true).map_err(de::Error::custom)?;
                }
                Ok(a)
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Availability, M::Error> {
                let mut a = Availability::default();
                while let Some((name, value)) = map.next_entry::<String, bool>()? {
                    a.set(&name, value).map_err(de::Error::custom)?;
                }
                Ok(a)
            }
        }
        deserializer.deserialize_any(AvailabilityVisitor)
    }
}

/// A parameter of a method or constructor.
///
/// In files it is either a table (`{ name_ru = "Строка", name_en = "String", types = ["Строка"] }`)
/// or the shorthand string `"ИмяRu|NameEn?: Тип1, Тип2 = default"`, where `|NameEn`, `?` (optional),
/// the types and the default are each optional; a default implies optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name_ru: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

impl Param {
    /// Parses the shorthand form.
    pub fn parse_shorthand(text: &str) -> Result<Param, String> {
        let (head, default) = match text.split_once('=') {
            Some((head, default)) => (head, Some(default.trim().to_string())),
            None => (text, None),
        };
        let (names, types) = match head.split_once(':') {
            Some((names, types)) => (names, split_types(types)),
            None => (head, Vec::new()),
        };
        let names = names.trim();
        let (names, optional) = match names.strip_suffix('?') {
            Some(names) => (names.trim_end(), true),
            None => (names, false),
        };
        let (name_ru, name_en) = match names.split_once('|') {
            Some((ru, en)) => (ru.trim(), Some(en.trim().to_string())),
            None => (names, None),
        };
        let is_ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !is_ident(name_ru) || name_en.as_deref().is_some_and(|en| !is_ident(en)) {
            return Err(format!("bad parameter shorthand `{text}`: expected `ИмяRu|NameEn?: Тип1, Тип2 = default`"));
        }
        if default.as_deref() == Some("") {
            return Err(format!("bad parameter shorthand `{text}`: empty default after `=`"));
        }
        Ok(Param {
            name_ru: name_ru.to_string(),
            name_en,
            types,
            optional: optional || default.is_some(),
            default,
            description: None,
        })
    }

    /// The parameter as shown in a signature: `Имя` or `[Имя]` for an optional one.
    pub fn label(&self) -> String {
        if self.optional { format!("[{}]", self.name_ru) } else { self.name_ru.clone() }
    }
}

fn split_types(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Reads [`Param`] from either the table or the shorthand string.
pub(crate) fn params<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Param>, D::Error> {
    struct ParamVisitor;
    impl<'de> Visitor<'de> for ParamVisitor {
        type Value = Param;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a parameter table or a string `ИмяRu|NameEn?: Тип = default`")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Param, E> {
            Param::parse_shorthand(v).map_err(E::custom)
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Param, M::Error> {
            Param::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    struct OneParam(Param);
    impl<'de> Deserialize<'de> for OneParam {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(ParamVisitor).map(OneParam)
        }
    }
    let list = Vec::<OneParam>::deserialize(deserializer)?;
    Ok(list.into_iter().map(|p| p.0).collect())
}

/// What a method returns: `returns = "Тип1, Тип2"` or `returns = { types = [...], description = "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Returns {
    pub types: Vec<String>,
    pub description: Option<String>,
}

impl<'de> Deserialize<'de> for Returns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            #[serde(default)]
            types: Vec<String>,
            #[serde(default)]
            description: Option<String>,
        }
        struct ReturnsVisitor;
        impl<'de> Visitor<'de> for ReturnsVisitor {
            type Value = Returns;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string of types or a table { types, description }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Returns, E> {
                Ok(Returns { types: split_types(v), description: None })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Returns, M::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Returns { types: full.types, description: full.description })
            }
        }
        deserializer.deserialize_any(ReturnsVisitor)
    }
}

/// Whether a global-context entry is a method or a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalKind {
    Method,
    Property,
}

/// A method or property of the global context (`СтрНайти`, `ФоновыеЗадания`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformMethod {
    pub name_ru: String,
    pub name_en: String,
    pub kind: GlobalKind,
    pub description: String,
    pub params: Vec<Param>,
    /// For a method, what it returns (none for a procedure); for a property, its value.
    pub returns: Option<Returns>,
    pub availability: Availability,
    /// Set when the entry should no longer be used; says what to use instead.
    pub deprecated: Option<String>,
    /// The topic: the file's name without extension (`strings`, `dates`).
    pub topic: String,
    /// The file the entry came from, relative to its knowledge folder.
    pub source: String,
}

impl PlatformMethod {
    /// `СтрНайти(Строка, ПодстрокаПоиска, [НаправлениеПоиска]): Число`, or the name and type of a property.
    pub fn signature(&self) -> String {
        let returns = self.returns.as_ref().filter(|r| !r.types.is_empty()).map(|r| r.types.join(" | "));
        match self.kind {
            GlobalKind::Property => match returns {
                Some(types) => format!("{}: {types}", self.name_ru),
                None => self.name_ru.clone(),
            },
            GlobalKind::Method => signature(&self.name_ru, &self.params, returns),
        }
    }
}

impl PlatformMethod {
    /// Markdown for a hover: the signature in a BSL block, the description, the parameters,
    /// the result, where it is available and the deprecation note.
    pub fn hover_markdown(&self) -> String {
        let mut out = format!(
            "```bsl\n{}\n```\n\n{} / {}\n\n{}\n",
            self.signature(),
            self.name_ru,
            self.name_en,
            self.description
        );
        params_markdown(&mut out, &self.params);
        if let Some(returns) = self.returns.as_ref().filter(|_| self.kind == GlobalKind::Method) {
            out.push_str(&format!("\n**Возвращает:** {}", returns.types.join(", ")));
            if let Some(description) = &returns.description {
                out.push_str(&format!(" — {description}"));
            }
            out.push('\n');
        }
        out.push_str(&format!("\n**Доступность:** {}\n", self.availability));
        if let Some(note) = &self.deprecated {
            out.push_str(&format!("\n**Не рекомендуется:** {note}\n"));
        }
        out
    }
}

fn params_markdown(out: &mut String, params: &[Param]) {
    if params.is_empty() {
        return;
    }
    out.push_str("\n**Параметры:**\n");
    for p in params {
        let types = if p.types.is_empty() { "Произвольный".to_string() } else { p.types.join(", ") };
        let optional = match (&p.default, p.optional) {
            (Some(default), _) => format!(" (необязательный, по умолчанию `{default}`)"),
            (None, true) => " (необязательный)".to_string(),
            (None, false) => String::new(),
        };
        out.push_str(&format!("- `{}`: {types}{optional}", p.name_ru));
        if let Some(description) = &p.description {
            out.push_str(&format!(" — {description}"));
        }
        out.push('\n');
    }
}

pub(crate) fn signature(name: &str, params: &[Param], returns: Option<String>) -> String {
    let params: Vec<String> = params.iter().map(Param::label).collect();
    match returns {
        Some(types) => format!("{name}({}): {types}", params.join(", ")),
        None => format!("{name}({})", params.join(", ")),
    }
}

/// One way to construct a type with `Новый`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constructor {
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "params")]
    pub params: Vec<Param>,
}

/// A method of a platform type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMethod {
    pub name_ru: String,
    pub name_en: String,
    pub description: String,
    #[serde(default, deserialize_with = "params")]
    pub params: Vec<Param>,
    #[serde(default)]
    pub returns: Option<Returns>,
    /// Only when it differs from the type's availability.
    #[serde(default)]
    pub availability: Option<Availability>,
    #[serde(default)]
    pub deprecated: Option<String>,
}

impl TypeMethod {
    /// `Добавить([Значение])` or `Количество(): Число`.
    pub fn signature(&self) -> String {
        let returns = self.returns.as_ref().filter(|r| !r.types.is_empty()).map(|r| r.types.join(" | "));
        signature(&self.name_ru, &self.params, returns)
    }
}

/// A property of a platform type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeProperty {
    pub name_ru: String,
    pub name_en: String,
    #[serde(default)]
    pub types: Vec<String>,
    pub description: String,
    #[serde(default)]
    pub read_only: bool,
}

/// A platform type (`Запрос`, `Массив`, `СправочникОбъект.<Имя>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformType {
    pub name_ru: String,
    pub name_en: String,
    pub description: String,
    pub constructors: Vec<Constructor>,
    pub methods: Vec<TypeMethod>,
    pub properties: Vec<TypeProperty>,
    pub availability: Availability,
    pub deprecated: Option<String>,
    pub topic: String,
    pub source: String,
}

impl PlatformType {
    /// A method of this type by either name, case-insensitively.
    pub fn method(&self, name: &str) -> Option<&TypeMethod> {
        self.methods.iter().find(|m| same_name(&m.name_ru, name) || same_name(&m.name_en, name))
    }

    /// A property of this type by either name, case-insensitively.
    pub fn property(&self, name: &str) -> Option<&TypeProperty> {
        self.properties.iter().find(|p| same_name(&p.name_ru, name) || same_name(&p.name_en, name))
    }

    /// Whether the name is a generic one such as `СправочникОбъект.<Имя>`.
    pub fn is_generic(&self) -> bool {
        self.name_ru.contains(".<")
    }
}

/// Compares two names the way the platform does: case-insensitively, `ё` equal to `е`.
pub fn same_name(a: &str, b: &str) -> bool {
    fold_name(a) == fold_name(b)
}

/// The lookup key of a name: lower case, `ё` folded to `е`.
pub fn fold_name(name: &str) -> String {
    name.trim().chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// A development standard (or one topic of a standard that has several), keyed by its number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The number of the article in 1C's standards system (`https://its.1c.ru/db/v8std#content:<N>:hdoc`).
    pub number: u32,
    /// Set on the second and later entries for one number: a short slug (`line-length`).
    #[serde(default)]
    pub topic: Option<String>,
    pub title: String,
    pub summary: String,
    pub reason: String,
    /// Code that breaks the standard.
    pub bad: String,
    /// The same code written to the standard.
    pub good: String,
    /// Codes of the rules that enforce it (may be empty).
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(skip)]
    pub source: String,
}

impl Standard {
    /// `456` or `456/line-length`.
    pub fn key(&self) -> String {
        match &self.topic {
            Some(topic) => format!("{}/{topic}", self.number),
            None => self.number.to_string(),
        }
    }

    /// The article's address on ITS.
    pub fn url(&self) -> String {
        format!("https://its.1c.ru/db/v8std#content:{}:hdoc", self.number)
    }
}

/// A module of the YAxUnit engine (`ЮТест`, `ЮТУтверждения`, `Мокито`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YaxunitModule {
    pub name: String,
    pub description: String,
    /// How test code reaches it, when not by its name (`ЮТест.ОжидаетЧто(Значение)`).
    #[serde(default)]
    pub access: Option<String>,
    /// `client`, `server` or both.
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(skip)]
    pub source: String,
}

/// A method of a YAxUnit module.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YaxunitMethod {
    /// The module; taken from the file's `[defaults] module` when not set on the entry.
    #[serde(default)]
    pub module: String,
    pub name: String,
    pub description: String,
    #[serde(default, deserialize_with = "params")]
    pub params: Vec<Param>,
    #[serde(default)]
    pub returns: Option<Returns>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(skip)]
    pub source: String,
}

impl YaxunitMethod {
    /// `ЮТУтверждения.Равно(ОжидаемоеЗначение, [ОписаниеПроверки])`.
    pub fn signature(&self) -> String {
        let returns = self.returns.as_ref().filter(|r| !r.types.is_empty()).map(|r| r.types.join(" | "));
        signature(&format!("{}.{}", self.module, self.name), &self.params, returns)
    }
}

/// A free-form article: a protocol, a convention or a how-to (the YAxUnit registration protocol).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(skip)]
    pub source: String,
}
