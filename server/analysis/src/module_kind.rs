//! What a module is, judged from where its file lives in a Designer dump, an EDT project or
//! a OneScript library.

use std::path::Path;

/// The kinds of module the platform and OneScript know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModuleKind {
    Common,
    Object,
    Manager,
    Form,
    Command,
    RecordSet,
    ValueManager,
    Session,
    Application,
    ManagedApplication,
    OrdinaryApplication,
    ExternalConnection,
    /// A OneScript class (`Классы/`, `classes/` or a file declared as a class).
    OneScriptClass,
    /// A OneScript module or script.
    OneScriptModule,
    /// Anything else: a loose `.bsl` file.
    Unknown,
}

impl ModuleKind {
    /// Every kind of 1C:Enterprise module, OneScript's excluded: for rules about the
    /// platform's conventions that OneScript does not share.
    pub const PLATFORM: &'static [ModuleKind] = &[
        ModuleKind::Common,
        ModuleKind::Object,
        ModuleKind::Manager,
        ModuleKind::Form,
        ModuleKind::Command,
        ModuleKind::RecordSet,
        ModuleKind::ValueManager,
        ModuleKind::Session,
        ModuleKind::Application,
        ModuleKind::ManagedApplication,
        ModuleKind::OrdinaryApplication,
        ModuleKind::ExternalConnection,
        ModuleKind::Unknown,
    ];

    /// Judges the kind from a path; works for Designer (`<Kind>/<Name>/Ext/Module.bsl`), EDT
    /// (`src/<Kind>/<Name>/Module.bsl`) and OneScript layouts.
    pub fn from_path(path: &Path) -> ModuleKind {
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let components: Vec<&str> = path.components().filter_map(|c| c.as_os_str().to_str()).collect();
        let has = |name: &str| components.iter().any(|c| c.eq_ignore_ascii_case(name));
        if extension.eq_ignore_ascii_case("os") {
            let class_dir = components.iter().rev().skip(1).any(|c| {
                let lower = c.to_lowercase();
                lower == "classes" || lower == "классы"
            });
            return if class_dir { ModuleKind::OneScriptClass } else { ModuleKind::OneScriptModule };
        }
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        match stem {
            "ObjectModule" => ModuleKind::Object,
            "ManagerModule" => ModuleKind::Manager,
            "RecordSetModule" => ModuleKind::RecordSet,
            "ValueManagerModule" => ModuleKind::ValueManager,
            "CommandModule" => ModuleKind::Command,
            "SessionModule" => ModuleKind::Session,
            "ManagedApplicationModule" => ModuleKind::ManagedApplication,
            "OrdinaryApplicationModule" => ModuleKind::OrdinaryApplication,
            "ApplicationModule" => ModuleKind::Application,
            "ExternalConnectionModule" => ModuleKind::ExternalConnection,
            "Module" if has("Forms") || has("CommonForms") || components.iter().rev().nth(1) == Some(&"Form") => {
                ModuleKind::Form
            }
            "Module" if has("CommonModules") => ModuleKind::Common,
            "Module" if has("Commands") || has("CommonCommands") => ModuleKind::Command,
            _ => ModuleKind::Unknown,
        }
    }

    /// Whether code in this module runs in a form's context (client and server parts).
    pub fn is_form(self) -> bool {
        self == ModuleKind::Form
    }

    pub fn is_onescript(self) -> bool {
        matches!(self, ModuleKind::OneScriptClass | ModuleKind::OneScriptModule)
    }

    /// Stable lowercase name, used in fixtures and configuration.
    pub fn name(self) -> &'static str {
        match self {
            ModuleKind::Common => "common",
            ModuleKind::Object => "object",
            ModuleKind::Manager => "manager",
            ModuleKind::Form => "form",
            ModuleKind::Command => "command",
            ModuleKind::RecordSet => "recordset",
            ModuleKind::ValueManager => "valuemanager",
            ModuleKind::Session => "session",
            ModuleKind::Application => "application",
            ModuleKind::ManagedApplication => "managedapplication",
            ModuleKind::OrdinaryApplication => "ordinaryapplication",
            ModuleKind::ExternalConnection => "externalconnection",
            ModuleKind::OneScriptClass => "onescriptclass",
            ModuleKind::OneScriptModule => "onescriptmodule",
            ModuleKind::Unknown => "unknown",
        }
    }

    pub fn from_name(name: &str) -> Option<ModuleKind> {
        ALL.iter().copied().find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

const ALL: &[ModuleKind] = &[
    ModuleKind::Common,
    ModuleKind::Object,
    ModuleKind::Manager,
    ModuleKind::Form,
    ModuleKind::Command,
    ModuleKind::RecordSet,
    ModuleKind::ValueManager,
    ModuleKind::Session,
    ModuleKind::Application,
    ModuleKind::ManagedApplication,
    ModuleKind::OrdinaryApplication,
    ModuleKind::ExternalConnection,
    ModuleKind::OneScriptClass,
    ModuleKind::OneScriptModule,
    ModuleKind::Unknown,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designer_edt_and_onescript_paths() {
        let kind = |p: &str| ModuleKind::from_path(Path::new(p));
        assert_eq!(kind("src/cf/CommonModules/ОбщегоНазначения/Ext/Module.bsl"), ModuleKind::Common);
        assert_eq!(kind("src/cf/Catalogs/Валюты/Forms/ФормаЭлемента/Ext/Form/Module.bsl"), ModuleKind::Form);
        assert_eq!(kind("src/cf/CommonForms/Вопрос/Ext/Form/Module.bsl"), ModuleKind::Form);
        assert_eq!(kind("src/cf/Documents/Заказ/Ext/ObjectModule.bsl"), ModuleKind::Object);
        assert_eq!(kind("exts/yaxunit/src/CommonModules/ЮТест/Module.bsl"), ModuleKind::Common);
        assert_eq!(kind("src/Catalogs/Валюты/Forms/ФормаСписка/Module.bsl"), ModuleKind::Form);
        assert_eq!(kind("src/Catalogs/Валюты/ManagerModule.bsl"), ModuleKind::Manager);
        assert_eq!(kind("src/cf/CommonCommands/Открыть/Ext/CommandModule.bsl"), ModuleKind::Command);
        assert_eq!(kind("src/Классы/Менеджер.os"), ModuleKind::OneScriptClass);
        assert_eq!(kind("src/main.os"), ModuleKind::OneScriptModule);
        assert_eq!(kind("loose.bsl"), ModuleKind::Unknown);
    }
}
