//! Where a file sits in a project: Designer dump, EDT project or OneScript library, which
//! metadata object it belongs to, and what kind of module or metadata file it is.
//!
//! Everything here works on paths and text alone; nothing touches the file system.

use std::path::{Component, Path, PathBuf};

use crate::ModuleKind;

macro_rules! metadata_kinds {
    ($($kind:ident, $plural:literal, $manager_ru:expr, $singular_ru:literal;)*) => {
        /// The kinds of metadata object, named as the Designer dump's folders name them in the
        /// singular (`Catalog` for `Catalogs/`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MetadataKind {
            /// The configuration itself (`Configuration.xml`, `Configuration.mdo`).
            Configuration,
            $($kind,)*
        }

        const KINDS: &[(MetadataKind, &str, &str, Option<&str>, &str)] = &[
            (MetadataKind::Configuration, "Configuration", "Configuration", None, "Конфигурация"),
            $((MetadataKind::$kind, stringify!($kind), $plural, $manager_ru, $singular_ru),)*
        ];
    };
}

metadata_kinds! {
    Catalog, "Catalogs", Some("Справочники"), "Справочник";
    Document, "Documents", Some("Документы"), "Документ";
    Enum, "Enums", Some("Перечисления"), "Перечисление";
    InformationRegister, "InformationRegisters", Some("РегистрыСведений"), "РегистрСведений";
    AccumulationRegister, "AccumulationRegisters", Some("РегистрыНакопления"), "РегистрНакопления";
    AccountingRegister, "AccountingRegisters", Some("РегистрыБухгалтерии"), "РегистрБухгалтерии";
    CalculationRegister, "CalculationRegisters", Some("РегистрыРасчета"), "РегистрРасчета";
    ChartOfCharacteristicTypes, "ChartsOfCharacteristicTypes", Some("ПланыВидовХарактеристик"), "ПланВидовХарактеристик";
    ChartOfAccounts, "ChartsOfAccounts", Some("ПланыСчетов"), "ПланСчетов";
    ChartOfCalculationTypes, "ChartsOfCalculationTypes", Some("ПланыВидовРасчета"), "ПланВидовРасчета";
    Constant, "Constants", Some("Константы"), "Константа";
    DataProcessor, "DataProcessors", Some("Обработки"), "Обработка";
    Report, "Reports", Some("Отчеты"), "Отчет";
    ExchangePlan, "ExchangePlans", Some("ПланыОбмена"), "ПланОбмена";
    BusinessProcess, "BusinessProcesses", Some("БизнесПроцессы"), "БизнесПроцесс";
    Task, "Tasks", Some("Задачи"), "Задача";
    DocumentJournal, "DocumentJournals", Some("ЖурналыДокументов"), "ЖурналДокументов";
    Sequence, "Sequences", Some("Последовательности"), "Последовательность";
    FilterCriterion, "FilterCriteria", Some("КритерииОтбора"), "КритерийОтбора";
    SettingsStorage, "SettingsStorages", Some("ХранилищаНастроек"), "ХранилищеНастроек";
    ExternalDataSource, "ExternalDataSources", Some("ВнешниеИсточникиДанных"), "ВнешнийИсточникДанных";
    CommonModule, "CommonModules", None, "ОбщийМодуль";
    CommonForm, "CommonForms", None, "ОбщаяФорма";
    CommonCommand, "CommonCommands", None, "ОбщаяКоманда";
    CommandGroup, "CommandGroups", None, "ГруппаКоманд";
    CommonTemplate, "CommonTemplates", None, "ОбщийМакет";
    CommonPicture, "CommonPictures", None, "ОбщаяКартинка";
    CommonAttribute, "CommonAttributes", None, "ОбщийРеквизит";
    Role, "Roles", None, "Роль";
    Subsystem, "Subsystems", None, "Подсистема";
    SessionParameter, "SessionParameters", None, "ПараметрСеанса";
    DefinedType, "DefinedTypes", None, "ОпределяемыйТип";
    EventSubscription, "EventSubscriptions", None, "ПодпискаНаСобытие";
    ScheduledJob, "ScheduledJobs", None, "РегламентноеЗадание";
    FunctionalOption, "FunctionalOptions", None, "ФункциональнаяОпция";
    FunctionalOptionsParameter, "FunctionalOptionsParameters", None, "ПараметрФункциональныхОпций";
    Language, "Languages", None, "Язык";
    Style, "Styles", None, "Стиль";
    StyleItem, "StyleItems", None, "ЭлементСтиля";
    Interface, "Interfaces", None, "Интерфейс";
    WebService, "WebServices", None, "WebСервис";
    HTTPService, "HTTPServices", None, "HTTPСервис";
    WSReference, "WSReferences", None, "WSСсылка";
    XDTOPackage, "XDTOPackages", None, "ПакетXDTO";
    DocumentNumerator, "DocumentNumerators", None, "НумераторДокументов";
    IntegrationService, "IntegrationServices", None, "СервисИнтеграции";
    Bot, "Bots", None, "Бот";
    PaletteColor, "PaletteColors", None, "ЦветПалитры";
}

impl MetadataKind {
    fn row(self) -> &'static (MetadataKind, &'static str, &'static str, Option<&'static str>, &'static str) {
        KINDS.iter().find(|row| row.0 == self).expect("every kind is listed")
    }

    /// Every kind, the configuration first.
    pub fn all() -> impl Iterator<Item = MetadataKind> {
        KINDS.iter().map(|row| row.0)
    }

    /// The singular English name: `Catalog`.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// The folder's name, which is also the English name of the global manager: `Catalogs`.
    pub fn plural(self) -> &'static str {
        self.row().2
    }

    /// The Russian name of the global manager (`Справочники`), for kinds that have one.
    pub fn manager_ru(self) -> Option<&'static str> {
        self.row().3
    }

    /// The English name of the global manager (`Catalogs`), for kinds that have one.
    pub fn manager_en(self) -> Option<&'static str> {
        self.row().3.map(|_| self.plural())
    }

    /// The singular Russian name: `Справочник`.
    pub fn name_ru(self) -> &'static str {
        self.row().4
    }

    /// From the singular English or Russian name, in any case.
    pub fn from_name(name: &str) -> Option<MetadataKind> {
        KINDS.iter().find(|row| eq_ci(row.1, name) || eq_ci(row.4, name)).map(|row| row.0)
    }

    /// From the folder's name (`Catalogs`), in any case; EDT's `Configuration.mdo` spells the
    /// same names in lower camel case (`commonModules`, `httpServices`).
    pub fn from_plural(plural: &str) -> Option<MetadataKind> {
        KINDS.iter().skip(1).find(|row| eq_ci(row.2, plural)).map(|row| row.0)
    }

    /// From a global manager's name in Russian or English (`Справочники`, `Catalogs`).
    pub fn from_manager(name: &str) -> Option<MetadataKind> {
        KINDS.iter().find(|row| row.3.is_some_and(|ru| eq_ci(ru, name) || eq_ci(row.2, name))).map(|row| row.0)
    }

    /// Whether objects of this kind have a manager module and a global manager.
    pub fn has_manager(self) -> bool {
        self.manager_ru().is_some()
    }
}

pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.chars().zip(b.chars()).all(|(x, y)| x == y || x.to_lowercase().eq(y.to_lowercase()))
}

/// How a project stores its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectFormat {
    /// A Designer XML dump: `Configuration.xml`, `<Kinds>/<Name>.xml`, `<Kinds>/<Name>/Ext/*.bsl`.
    Designer,
    /// A 1C:EDT project: `src/Configuration/Configuration.mdo`, `src/<Kinds>/<Name>/*`.
    Edt,
    /// A OneScript library or script folder.
    OneScript,
}

/// A project found in the workspace: a configuration, an extension or a OneScript library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub root: PathBuf,
    pub format: ProjectFormat,
    /// A configuration extension (its objects are seen together with the base's).
    pub is_extension: bool,
    /// The configuration's or the package's name, when known.
    pub name: Option<String>,
    /// An extension's name prefix; empty when none.
    pub name_prefix: String,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>, format: ProjectFormat) -> Self {
        Project { root: root.into(), format, is_extension: false, name: None, name_prefix: String::new() }
    }
}

/// A metadata object named by kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub kind: MetadataKind,
    pub name: String,
}

/// What a file is to its project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// A module of the given kind.
    Module(ModuleKind),
    /// A metadata object's description (`Catalogs/Валюты.xml`, `Catalogs/Валюты/Валюты.mdo`).
    ObjectMetadata,
    /// `Configuration.xml` or `Configuration.mdo`.
    ConfigurationMetadata,
    /// OneScript's `lib.config`.
    LibConfig,
    /// OneScript's `packagedef`.
    PackageDef,
}

/// Where a file sits: its project, its object, its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLocation {
    pub format: ProjectFormat,
    /// The project's root: the folder of `Configuration.xml` (Designer), the folder above
    /// `src` (EDT), or the library's folder (OneScript). Relative paths give relative roots.
    pub root: PathBuf,
    pub role: FileRole,
    /// The metadata object the file belongs to; `None` for configuration-level files and
    /// OneScript files.
    pub object: Option<ObjectRef>,
    /// The form, for a form's module.
    pub form: Option<String>,
    /// The command, for an object command's module.
    pub command: Option<String>,
}

impl FileLocation {
    pub fn module_kind(&self) -> Option<ModuleKind> {
        match self.role {
            FileRole::Module(kind) => Some(kind),
            _ => None,
        }
    }
}

const APPLICATION_MODULES: &[(&str, ModuleKind)] = &[
    ("SessionModule", ModuleKind::Session),
    ("ManagedApplicationModule", ModuleKind::ManagedApplication),
    ("OrdinaryApplicationModule", ModuleKind::OrdinaryApplication),
    ("ApplicationModule", ModuleKind::Application),
    ("ExternalConnectionModule", ModuleKind::ExternalConnection),
];

/// An object's own module, by file stem.
fn object_module(kind: MetadataKind, stem: &str) -> Option<ModuleKind> {
    let module = match stem {
        "ObjectModule" => ModuleKind::Object,
        "ManagerModule" => ModuleKind::Manager,
        "RecordSetModule" => ModuleKind::RecordSet,
        "ValueManagerModule" => ModuleKind::ValueManager,
        "Module" if kind == MetadataKind::CommonModule => ModuleKind::Common,
        "CommandModule" if kind == MetadataKind::CommonCommand => ModuleKind::Command,
        "Module" if kind == MetadataKind::CommonForm => ModuleKind::Form,
        // Services' and bots' modules have no kind of their own among the module kinds.
        "Module"
            if matches!(
                kind,
                MetadataKind::WebService
                    | MetadataKind::HTTPService
                    | MetadataKind::IntegrationService
                    | MetadataKind::Bot
            ) =>
        {
            ModuleKind::Unknown
        }
        _ => return None,
    };
    Some(module)
}

fn application_module(stem: &str) -> Option<ModuleKind> {
    APPLICATION_MODULES.iter().find(|(name, _)| *name == stem).map(|&(_, kind)| kind)
}

/// Judges a path (relative to any root: the result's `root` is a prefix of it). `None` for
/// files that are neither modules nor metadata descriptions in a known layout.
pub fn classify(path: &Path) -> Option<FileLocation> {
    let comps: Vec<&str> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => Some(""),
        })
        .collect::<Option<_>>()?;
    let n = comps.len();
    let file = *comps.last()?;
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let root_of = |len: usize| -> PathBuf { path.components().take(len).collect() };
    let at = |i: usize| -> &str { comps.get(i).copied().unwrap_or("") };
    let object = |kind_at: usize| -> Option<ObjectRef> {
        Some(ObjectRef { kind: MetadataKind::from_plural(at(kind_at))?, name: at(kind_at + 1).to_string() })
    };
    let location = |format, root: usize, role, object, form: Option<&str>, command: Option<&str>| FileLocation {
        format,
        root: root_of(root),
        role,
        object,
        form: form.map(str::to_string),
        command: command.map(str::to_string),
    };

    if file == "lib.config" {
        return Some(location(ProjectFormat::OneScript, n - 1, FileRole::LibConfig, None, None, None));
    }
    if file == "packagedef" {
        return Some(location(ProjectFormat::OneScript, n - 1, FileRole::PackageDef, None, None, None));
    }
    if ext.eq_ignore_ascii_case("os") {
        return Some(onescript(path, &comps));
    }
    let is_bsl = ext.eq_ignore_ascii_case("bsl");
    let is_xml = ext.eq_ignore_ascii_case("xml");
    let is_mdo = ext.eq_ignore_ascii_case("mdo");
    use ProjectFormat::{Designer, Edt};

    if is_bsl && n >= 2 && at(n - 2) == "Ext" {
        // Designer: `Ext/SessionModule.bsl` at the root, `<Kinds>/<Name>/Ext/<Module>.bsl`.
        if n >= 4
            && let Some(obj) = object(n - 4)
            && let Some(kind) = object_module(obj.kind, stem)
            && obj.kind != MetadataKind::CommonForm
        {
            return Some(location(Designer, n - 4, FileRole::Module(kind), Some(obj), None, None));
        }
        if let Some(kind) = application_module(stem) {
            return Some(location(Designer, n - 2, FileRole::Module(kind), None, None, None));
        }
    }
    if is_bsl && stem == "Module" && n >= 5 && at(n - 2) == "Form" && at(n - 3) == "Ext" {
        // `CommonForms/<Name>/Ext/Form/Module.bsl`, `<Kinds>/<Name>/Forms/<Form>/Ext/Form/Module.bsl`.
        if at(n - 5) == "CommonForms" {
            let obj = object(n - 5);
            let form = Some(at(n - 4));
            return Some(location(Designer, n - 5, FileRole::Module(ModuleKind::Form), obj, form, None));
        }
        if n >= 7 && at(n - 5) == "Forms" && object(n - 7).is_some() {
            let form = Some(at(n - 4));
            return Some(location(Designer, n - 7, FileRole::Module(ModuleKind::Form), object(n - 7), form, None));
        }
    }
    if is_bsl
        && stem == "CommandModule"
        && n >= 6
        && at(n - 2) == "Ext"
        && at(n - 4) == "Commands"
        && let Some(obj) = object(n - 6)
    {
        let command = Some(at(n - 3));
        return Some(location(Designer, n - 6, FileRole::Module(ModuleKind::Command), Some(obj), None, command));
    }
    if is_xml && file == "Configuration.xml" {
        return Some(location(Designer, n - 1, FileRole::ConfigurationMetadata, None, None, None));
    }
    if is_xml && n >= 2 {
        // `<Kinds>/<Name>.xml`, and nested subsystems: `Subsystems/A/Subsystems/B.xml`.
        if let Some(kind) = MetadataKind::from_plural(at(n - 2)) {
            let mut root = n - 2;
            if kind == MetadataKind::Subsystem {
                while root >= 2 && at(root - 2) == "Subsystems" {
                    root -= 2;
                }
            } else if root >= 2 && at(root - 2) == "Subsystems" {
                return None;
            }
            let obj = ObjectRef { kind, name: stem.to_string() };
            return Some(location(Designer, root, FileRole::ObjectMetadata, Some(obj), None, None));
        }
    }

    // EDT: everything is under `src`.
    let src = comps.iter().rposition(|c| *c == "src")?;
    let rel = &comps[src + 1..];
    match rel {
        ["Configuration", "Configuration.mdo"] => {
            Some(location(Edt, src, FileRole::ConfigurationMetadata, None, None, None))
        }
        ["Configuration", _] if is_bsl => {
            let kind = application_module(stem)?;
            Some(location(Edt, src, FileRole::Module(kind), None, None, None))
        }
        [kinds, name, ..] => {
            let kind = MetadataKind::from_plural(kinds)?;
            let obj = || Some(ObjectRef { kind, name: name.to_string() });
            match &rel[2..] {
                [f] if is_mdo && f.strip_suffix(".mdo") == Some(name) => {
                    Some(location(Edt, src, FileRole::ObjectMetadata, obj(), None, None))
                }
                [_] if is_bsl => {
                    let module = object_module(kind, stem)?;
                    let form = (kind == MetadataKind::CommonForm).then_some(*name);
                    Some(location(Edt, src, FileRole::Module(module), obj(), form, None))
                }
                ["Forms", form, "Module.bsl"] => {
                    Some(location(Edt, src, FileRole::Module(ModuleKind::Form), obj(), Some(form), None))
                }
                ["Commands", command, "CommandModule.bsl"] => {
                    Some(location(Edt, src, FileRole::Module(ModuleKind::Command), obj(), None, Some(command)))
                }
                [.., "Subsystems", sub, f]
                    if is_mdo && kind == MetadataKind::Subsystem && f.strip_suffix(".mdo") == Some(sub) =>
                {
                    let nested = rel[2..rel.len() - 1].chunks(2).all(|pair| pair.len() == 2 && pair[0] == "Subsystems");
                    nested.then(|| {
                        let obj = ObjectRef { kind, name: sub.to_string() };
                        location(Edt, src, FileRole::ObjectMetadata, Some(obj), None, None)
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The names from the top of a subsystem's description file, judged from its path:
/// `Subsystems/А/Subsystems/Б.xml` (Designer) and `src/Subsystems/А/Subsystems/Б/Б.mdo` (EDT)
/// both give `["А", "Б"]`. `None` for any other file.
pub fn subsystem_path(path: &Path) -> Option<Vec<String>> {
    let location = classify(path)?;
    if location.role != FileRole::ObjectMetadata || location.object.as_ref()?.kind != MetadataKind::Subsystem {
        return None;
    }
    let rel = path.strip_prefix(&location.root).ok()?;
    let comps: Vec<&str> = rel.components().map(|c| c.as_os_str().to_str()).collect::<Option<_>>()?;
    let comps = match location.format {
        ProjectFormat::Edt => comps.get(1..)?,
        _ => &comps[..],
    };
    let mut names = Vec::new();
    // Pairs of `Subsystems/<Name>`; EDT's last component, `<Name>.mdo`, has no pair.
    for pair in comps.chunks_exact(2) {
        if pair[0] != "Subsystems" {
            return None;
        }
        let name = pair[1].strip_suffix(".xml").unwrap_or(pair[1]);
        names.push(name.to_string());
    }
    (!names.is_empty()).then_some(names)
}

const ONESCRIPT_CLASS_DIRS: &[&str] = &["классы", "classes"];
const ONESCRIPT_MODULE_DIRS: &[&str] = &["модули", "modules"];

fn onescript(path: &Path, comps: &[&str]) -> FileLocation {
    let n = comps.len();
    let dirs = &comps[..n - 1];
    let folder = dirs.iter().rposition(|c| {
        let lower = c.to_lowercase();
        ONESCRIPT_CLASS_DIRS.contains(&lower.as_str()) || ONESCRIPT_MODULE_DIRS.contains(&lower.as_str())
    });
    let kind = match folder {
        Some(i) if ONESCRIPT_CLASS_DIRS.contains(&dirs[i].to_lowercase().as_str()) => ModuleKind::OneScriptClass,
        _ => ModuleKind::OneScriptModule,
    };
    // The library's root: above `src` when there is one, else above the class folder, else
    // the file's own folder.
    let root = match dirs.iter().position(|c| *c == "src") {
        Some(src) => src,
        None => folder.unwrap_or(n - 1),
    };
    FileLocation {
        format: ProjectFormat::OneScript,
        root: path.components().take(root).collect(),
        role: FileRole::Module(kind),
        object: None,
        form: None,
        command: None,
    }
}

/// Whether a `Configuration.xml` or `Configuration.mdo` text describes a configuration
/// extension, judged without parsing it: extensions, and only they, declare their purpose.
pub fn is_extension_configuration(text: &str) -> bool {
    text.contains("<ConfigurationExtensionPurpose>")
        || text.contains("<configurationExtensionPurpose>")
        || text.contains("mdclassExtension:ConfigurationExtension")
}

/// What OneScript's `packagedef` declares: the package's name and version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageDef {
    pub name: Option<String>,
    pub version: Option<String>,
}

/// Reads `Описание.Имя("...")` and `.Версия("...")` (or `Name`, `Version`) from a
/// `packagedef` script; anything else is ignored.
pub fn parse_packagedef(text: &str) -> PackageDef {
    let argument = |names: &[&str]| -> Option<String> {
        let lower = text.to_lowercase();
        names.iter().find_map(|name| {
            let needle = format!(".{}(", name.to_lowercase());
            let start = lower.find(&needle)? + needle.len();
            // Lowercasing keeps byte offsets for the Cyrillic and Latin letters used here.
            let rest = text.get(start..)?.trim_start();
            let rest = rest.strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_string())
        })
    };
    PackageDef { name: argument(&["Имя", "Name"]), version: argument(&["Версия", "Version"]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in MetadataKind::all() {
            assert_eq!(MetadataKind::from_name(kind.name()), Some(kind));
            assert_eq!(MetadataKind::from_name(kind.name_ru()), Some(kind));
            if kind != MetadataKind::Configuration {
                assert_eq!(MetadataKind::from_plural(kind.plural()), Some(kind));
            }
        }
        assert_eq!(MetadataKind::from_manager("справочники"), Some(MetadataKind::Catalog));
        assert_eq!(MetadataKind::from_manager("InformationRegisters"), Some(MetadataKind::InformationRegister));
        assert_eq!(MetadataKind::from_manager("CommonModules"), None);
        assert_eq!(MetadataKind::from_plural("httpServices"), Some(MetadataKind::HTTPService));
    }

    #[test]
    fn packagedef() {
        let text = "Описание.Имя(\"gitsync\")\n    .Версия(\"3.6.1\")\n    .ЗависитОт(\"logos\");";
        assert_eq!(parse_packagedef(text), PackageDef { name: Some("gitsync".into()), version: Some("3.6.1".into()) });
        assert_eq!(parse_packagedef("broken(\"").name, None);
    }
}
