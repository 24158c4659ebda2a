//! Metadata objects read from Designer XML (`Catalogs/Валюты.xml`, `Configuration.xml`) and
//! EDT `.mdo` files: names, synonyms, attributes, tabular sections, forms, commands, common
//! module flags, subsystem content and the configuration's list of objects.
//!
//! Both formats are read into a small element tree first (skipping the bulky parts nobody
//! asks for), then the same extraction reads either: Designer nests properties under
//! `Properties` and children under `ChildObjects` in PascalCase, EDT puts both right under
//! the root in lower camel case, so names are compared without case. A broken file gives a
//! [`MetadataError`] with a line and a column, never a panic.

use std::fmt;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::layout::{MetadataKind, ObjectRef, eq_ci};

/// Why a metadata file could not be read. Line and column are 1-based; the column counts
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for MetadataError {}

/// An attribute, dimension, resource, enum value, journal column or accounting flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// The Russian synonym, or the first one.
    pub synonym: Option<String>,
    /// Value types as EDT spells them: `String`, `Number`, `CatalogRef.Валюты`.
    pub types: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TabularSection {
    pub name: String,
    pub synonym: Option<String>,
    pub attributes: Vec<Attribute>,
}

/// When a common module's return values are cached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ReturnValuesReuse {
    #[default]
    DontUse,
    DuringRequest,
    DuringSession,
}

/// A common module's properties: where it is compiled and how it is called.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CommonModuleFlags {
    pub global: bool,
    pub client_managed_application: bool,
    pub client_ordinary_application: bool,
    pub server: bool,
    pub external_connection: bool,
    pub server_call: bool,
    pub privileged: bool,
    pub return_values_reuse: ReturnValuesReuse,
}

/// The configuration's script variant: the language of its code's keywords.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ScriptVariant {
    #[default]
    Russian,
    English,
}

/// What `Configuration.xml` or `Configuration.mdo` says about the configuration itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigurationInfo {
    pub script_variant: ScriptVariant,
    pub is_extension: bool,
    /// The extension's purpose (`AddOn`, `Customization`, `Patch`), for extensions.
    pub extension_purpose: Option<String>,
    /// The extension's name prefix; empty when none is set.
    pub name_prefix: String,
    /// Every object the configuration lists, in its order.
    pub children: Vec<ObjectRef>,
}

/// A metadata object as far as the language server needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataObject {
    pub kind: MetadataKind,
    pub name: String,
    pub synonym: Option<String>,
    /// An object of the base configuration borrowed by an extension.
    pub adopted: bool,
    /// A constant's or a defined type's value types.
    pub types: Vec<String>,
    pub attributes: Vec<Attribute>,
    pub tabular_sections: Vec<TabularSection>,
    /// Registers' dimensions and resources.
    pub dimensions: Vec<Attribute>,
    pub resources: Vec<Attribute>,
    pub enum_values: Vec<Attribute>,
    /// Document journals' columns.
    pub columns: Vec<Attribute>,
    /// Tasks' addressing attributes.
    pub addressing_attributes: Vec<Attribute>,
    /// Charts of accounts' flags.
    pub accounting_flags: Vec<Attribute>,
    pub ext_dimension_accounting_flags: Vec<Attribute>,
    pub forms: Vec<String>,
    pub commands: Vec<String>,
    pub templates: Vec<String>,
    /// For common modules.
    pub common_module: Option<CommonModuleFlags>,
    /// For subsystems: the objects they hold (`Catalog.Валюты`, as written).
    pub content: Vec<String>,
    /// For subsystems: nested subsystems' names.
    pub subsystems: Vec<String>,
    /// For the configuration.
    pub configuration: Option<ConfigurationInfo>,
}

impl MetadataObject {
    fn new(kind: MetadataKind, name: String) -> Self {
        MetadataObject {
            kind,
            name,
            synonym: None,
            adopted: false,
            types: Vec::new(),
            attributes: Vec::new(),
            tabular_sections: Vec::new(),
            dimensions: Vec::new(),
            resources: Vec::new(),
            enum_values: Vec::new(),
            columns: Vec::new(),
            addressing_attributes: Vec::new(),
            accounting_flags: Vec::new(),
            ext_dimension_accounting_flags: Vec::new(),
            forms: Vec::new(),
            commands: Vec::new(),
            templates: Vec::new(),
            common_module: None,
            content: Vec::new(),
            subsystems: Vec::new(),
            configuration: None,
        }
    }

    /// The object's reference: kind and name.
    pub fn reference(&self) -> ObjectRef {
        ObjectRef { kind: self.kind, name: self.name.clone() }
    }

    /// Every field an expression `Объект.Поле` may name that comes from the metadata:
    /// attributes, dimensions, resources, columns, addressing attributes, flags.
    pub fn fields(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes
            .iter()
            .chain(&self.dimensions)
            .chain(&self.resources)
            .chain(&self.columns)
            .chain(&self.addressing_attributes)
            .chain(&self.accounting_flags)
            .chain(&self.ext_dimension_accounting_flags)
    }
}

/// Reads a Designer object XML file, `Configuration.xml`, an EDT `.mdo` file or
/// `Configuration.mdo`; which one is told by the root element.
pub fn parse_metadata(text: &str) -> Result<MetadataObject, MetadataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = parse_tree(text)?;
    let fail = |message: String| MetadataError { line: 1, column: 1, message };
    let (node, designer) = if eq_ci(&root.name, "MetaDataObject") {
        let node = root.children.first().ok_or_else(|| fail("MetaDataObject holds no object".into()))?;
        (node, true)
    } else {
        (&root, false)
    };
    let kind =
        MetadataKind::from_name(&node.name).ok_or_else(|| fail(format!("unknown metadata kind `{}`", node.name)))?;
    let props = if designer { node.child("Properties").unwrap_or(node) } else { node };
    let name = props.child_text("Name").ok_or_else(|| fail(format!("{} has no name", kind.name())))?;
    let mut object = MetadataObject::new(kind, name.to_string());
    object.synonym = synonym(props);
    object.adopted = props.child_text("ObjectBelonging").is_some_and(|b| b == "Adopted");
    object.types = props.child("Type").map(types).unwrap_or_default();
    let children = if designer { node.child("ChildObjects") } else { Some(node) };
    if let Some(children) = children {
        read_children(&mut object, children, designer);
    }
    match kind {
        MetadataKind::CommonModule => object.common_module = Some(common_module_flags(props)),
        MetadataKind::Subsystem => {
            for content in props.children_named("Content") {
                if content.children.is_empty() {
                    object.content.extend(non_empty(&content.text));
                } else {
                    object.content.extend(content.children.iter().filter_map(|item| non_empty(&item.text)));
                }
            }
        }
        MetadataKind::Configuration => object.configuration = Some(configuration(node, props, designer)),
        _ => {}
    }
    Ok(object)
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Where each kind of child goes, by Designer's and EDT's element names.
fn read_children(object: &mut MetadataObject, parent: &Element, designer: bool) {
    for child in &parent.children {
        let name = child.name.as_str();
        let is = |designer_name: &str, edt_name: &str| {
            if designer { name == designer_name } else { name == edt_name }
        };
        if is("Attribute", "attributes") {
            object.attributes.push(attribute(child, designer));
        } else if is("TabularSection", "tabularSections") {
            let props = if designer { child.child("Properties").unwrap_or(child) } else { child };
            let inner = if designer { child.child("ChildObjects") } else { Some(child) };
            let attributes = inner
                .map(|inner| {
                    let tag = if designer { "Attribute" } else { "attributes" };
                    inner.children.iter().filter(|a| a.name == tag).map(|a| attribute(a, designer)).collect()
                })
                .unwrap_or_default();
            object.tabular_sections.push(TabularSection {
                name: props.child_text("Name").unwrap_or_default().to_string(),
                synonym: synonym(props),
                attributes,
            });
        } else if is("Dimension", "dimensions") {
            object.dimensions.push(attribute(child, designer));
        } else if is("Resource", "resources") {
            object.resources.push(attribute(child, designer));
        } else if is("EnumValue", "enumValues") {
            object.enum_values.push(attribute(child, designer));
        } else if is("Column", "columns") {
            object.columns.push(attribute(child, designer));
        } else if is("AddressingAttribute", "addressingAttributes") {
            object.addressing_attributes.push(attribute(child, designer));
        } else if is("AccountingFlag", "accountingFlags") {
            object.accounting_flags.push(attribute(child, designer));
        } else if is("ExtDimensionAccountingFlag", "extDimensionAccountingFlags") {
            object.ext_dimension_accounting_flags.push(attribute(child, designer));
        } else if is("Form", "forms") {
            object.forms.extend(child_name(child, designer));
        } else if is("Command", "commands") {
            object.commands.extend(child_name(child, designer));
        } else if is("Template", "templates") {
            object.templates.extend(child_name(child, designer));
        } else if object.kind == MetadataKind::Subsystem && is("Subsystem", "subsystems") {
            object.subsystems.extend(non_empty(&child.text));
        }
    }
}

/// A form's, command's or template's name: Designer lists forms and templates as text and
/// commands as elements with properties; EDT gives every one of them a `name` element.
fn child_name(child: &Element, designer: bool) -> Option<String> {
    if !designer {
        return child.child_text("name").map(str::to_string);
    }
    match child.child("Properties") {
        Some(props) => props.child_text("Name").map(str::to_string),
        None => non_empty(&child.text),
    }
}

fn attribute(node: &Element, designer: bool) -> Attribute {
    let props = if designer { node.child("Properties").unwrap_or(node) } else { node };
    Attribute {
        name: props.child_text("Name").unwrap_or_default().to_string(),
        synonym: synonym(props),
        types: props.child("Type").map(types).unwrap_or_default(),
    }
}

/// Designer: `<Synonym><v8:item><v8:lang>ru</v8:lang><v8:content>..`; EDT: one
/// `<synonym><key>ru</key><value>..` per language. The Russian one, else the first.
fn synonym(props: &Element) -> Option<String> {
    let mut pairs = Vec::new();
    for synonym in props.children_named("Synonym") {
        if synonym.child("key").is_some() {
            pairs.push((synonym.child_text("key").unwrap_or(""), synonym.child_text("value").unwrap_or("")));
        } else {
            for item in &synonym.children {
                pairs.push((item.child_text("lang").unwrap_or(""), item.child_text("content").unwrap_or("")));
            }
        }
    }
    let (_, text) = pairs.iter().find(|(lang, _)| *lang == "ru").or(pairs.first())?;
    non_empty(text)
}

/// Designer: `<Type><v8:Type>xs:string</v8:Type>..`; EDT: `<type><types>String</types>..`.
/// Designer's XML Schema names are mapped to the platform's.
fn types(node: &Element) -> Vec<String> {
    node.children
        .iter()
        .filter(|t| eq_ci(&t.name, "Type") || eq_ci(&t.name, "types") || eq_ci(&t.name, "TypeSet"))
        .filter_map(|t| {
            let text = t.text.trim();
            let plain = match text {
                "" => return None,
                "xs:string" => "String",
                "xs:decimal" => "Number",
                "xs:boolean" => "Boolean",
                "xs:dateTime" => "Date",
                "xs:base64Binary" => "BinaryData",
                _ => text.split_once(':').map_or(text, |(_, rest)| rest),
            };
            Some(plain.to_string())
        })
        .collect()
}

fn common_module_flags(props: &Element) -> CommonModuleFlags {
    let flag = |name: &str| props.child_text(name).is_some_and(|v| v == "true");
    CommonModuleFlags {
        global: flag("Global"),
        client_managed_application: flag("ClientManagedApplication"),
        client_ordinary_application: flag("ClientOrdinaryApplication"),
        server: flag("Server"),
        external_connection: flag("ExternalConnection"),
        server_call: flag("ServerCall"),
        privileged: flag("Privileged"),
        return_values_reuse: match props.child_text("ReturnValuesReuse") {
            Some("DuringRequest") => ReturnValuesReuse::DuringRequest,
            Some("DuringSession") => ReturnValuesReuse::DuringSession,
            _ => ReturnValuesReuse::DontUse,
        },
    }
}

fn configuration(node: &Element, props: &Element, designer: bool) -> ConfigurationInfo {
    let purpose = props.child_text("ConfigurationExtensionPurpose").and_then(non_empty);
    let edt_extension = props.children_named("extension").any(|e| e.xsi_type.contains("ConfigurationExtension"));
    let mut children = Vec::new();
    if designer {
        if let Some(list) = node.child("ChildObjects") {
            for child in &list.children {
                if let (Some(kind), Some(name)) = (MetadataKind::from_name(&child.name), non_empty(&child.text)) {
                    children.push(ObjectRef { kind, name });
                }
            }
        }
    } else {
        for child in &node.children {
            let Some(kind) = MetadataKind::from_plural(&child.name) else {
                continue;
            };
            if kind == MetadataKind::Language {
                children.extend(child.child_text("name").map(|name| ObjectRef { kind, name: name.to_string() }));
            } else if let Some((_, name)) = child.text.trim().split_once('.') {
                children.push(ObjectRef { kind, name: name.to_string() });
            }
        }
    }
    ConfigurationInfo {
        script_variant: match props.child_text("ScriptVariant") {
            Some("English") => ScriptVariant::English,
            _ => ScriptVariant::Russian,
        },
        is_extension: purpose.is_some() || edt_extension,
        extension_purpose: purpose,
        name_prefix: props.child_text("NamePrefix").unwrap_or_default().to_string(),
        children,
    }
}

/// One entry of OneScript's `lib.config`: `<class name=".." file=".."/>` or `<module ..>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibEntry {
    pub is_class: bool,
    pub name: String,
    /// The file's path relative to the library's root, with `/` separators.
    pub file: String,
}

/// Reads OneScript's `lib.config`.
pub fn parse_lib_config(text: &str) -> Result<Vec<LibEntry>, MetadataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = parse_tree(text)?;
    Ok(root
        .children
        .iter()
        .filter(|c| c.name == "class" || c.name == "module")
        .filter_map(|c| {
            let attr = |key: &str| c.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            Some(LibEntry { is_class: c.name == "class", name: attr("name")?, file: attr("file")?.replace('\\', "/") })
        })
        .collect())
}

/// An element with its local name, its text, its `xsi:type` and its children. `lib.config`
/// also needs plain attributes; metadata files need none.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    xsi_type: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| eq_ci(&c.name, name))
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| eq_ci(&c.name, name))
    }

    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

/// Subtrees that are large and never read.
const SKIPPED: &[&[u8]] = &[
    b"InternalInfo",
    b"StandardAttributes",
    b"producedTypes",
    b"standardAttributes",
    b"ChoiceParameterLinks",
    b"choiceParameterLinks",
    b"ChoiceParameters",
    b"choiceParameters",
    b"Characteristics",
    b"characteristics",
    b"help",
];

fn parse_tree(text: &str) -> Result<Element, MetadataError> {
    let mut reader = Reader::from_str(text);
    let error_at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        MetadataError { line, column, message }
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(|e| error_at(reader.error_position() as usize, e.to_string()))?;
        match event {
            Event::Start(start) => {
                if SKIPPED.contains(&start.local_name().as_ref()) && !stack.is_empty() {
                    let end = start.to_end().into_owned();
                    reader
                        .read_to_end(end.name())
                        .map_err(|e| error_at(reader.error_position() as usize, e.to_string()))?;
                    continue;
                }
                stack.push(element(&start).map_err(|m| error_at(reader.buffer_position() as usize, m))?);
            }
            Event::Empty(start) => {
                if SKIPPED.contains(&start.local_name().as_ref()) {
                    continue;
                }
                let element = element(&start).map_err(|m| error_at(reader.buffer_position() as usize, m))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(error_at(reader.buffer_position() as usize, "a second root element".into())),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(error_at(reader.buffer_position() as usize, "an end tag without a start".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None if root.is_none() => root = Some(done),
                    None => return Err(error_at(reader.buffer_position() as usize, "a second root element".into())),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let raw = t.decode().map_err(|e| error_at(reader.buffer_position() as usize, e.to_string()))?;
                    top.text.push_str(&raw);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let Some(top) = stack.last_mut() else { continue };
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    top.text.push(c);
                } else {
                    let name = String::from_utf8_lossy(&r);
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(value) => top.text.push_str(value),
                        None => {
                            return Err(error_at(
                                reader.buffer_position() as usize,
                                format!("unknown entity `&{name};`"),
                            ));
                        }
                    }
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error_at(text.len(), format!("the file ends inside `<{}>`", open.name)));
    }
    root.ok_or_else(|| error_at(text.len(), "no root element".into()))
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut element = Element { name, ..Element::default() };
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key;
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        if key.as_ref() == b"xsi:type" {
            element.xsi_type = value.into_owned();
        } else if key.as_ref() != b"uuid" && !key.as_ref().starts_with(b"xmlns") {
            element.attributes.push((String::from_utf8_lossy(key.as_ref()).into_owned(), value.into_owned()));
        }
    }
    Ok(element)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}
