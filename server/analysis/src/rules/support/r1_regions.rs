//! r1_regions: the top-level region names standard 455 expects, per module kind, in Russian
//! and English.

use crate::module_kind::ModuleKind;

/// One standard section of a module: its Russian and English names, and whether the name
/// is a prefix (the form's table sections end with the table's name).
#[derive(Debug, Clone, Copy)]
pub struct StandardRegion {
    pub ru: &'static str,
    pub en: &'static str,
    pub prefix: bool,
}

const fn exact(ru: &'static str, en: &'static str) -> StandardRegion {
    StandardRegion { ru, en, prefix: false }
}

pub const VARIABLES: StandardRegion = exact("ОписаниеПеременных", "Variables");
pub const PUBLIC: StandardRegion = exact("ПрограммныйИнтерфейс", "Public");
pub const INTERNAL: StandardRegion = exact("СлужебныйПрограммныйИнтерфейс", "Internal");
pub const EVENT_HANDLERS: StandardRegion = exact("ОбработчикиСобытий", "EventHandlers");
pub const FORM_EVENT_HANDLERS: StandardRegion = exact("ОбработчикиСобытийФормы", "FormEventHandlers");
pub const FORM_HEADER_ITEMS: StandardRegion =
    exact("ОбработчикиСобытийЭлементовШапкиФормы", "FormHeaderItemsEventHandlers");
pub const FORM_TABLE_ITEMS: StandardRegion =
    StandardRegion {
        ru: "ОбработчикиСобытийЭлементовТаблицыФормы", en: "FormTableItemsEventHandlers", prefix: true
    };
pub const FORM_COMMANDS: StandardRegion = exact("ОбработчикиКомандФормы", "FormCommandsEventHandlers");
pub const PRIVATE: StandardRegion = exact("СлужебныеПроцедурыИФункции", "Private");
pub const INITIALIZE: StandardRegion = exact("Инициализация", "Initialize");

/// The top-level sections a module of this kind may have; `None` when the kind has no
/// standard layout (OneScript, a loose file).
pub fn standard_regions(kind: ModuleKind) -> Option<&'static [StandardRegion]> {
    use ModuleKind::*;
    Some(match kind {
        Common => &[PUBLIC, INTERNAL, PRIVATE],
        Object | RecordSet | ValueManager => &[VARIABLES, PUBLIC, EVENT_HANDLERS, INTERNAL, PRIVATE, INITIALIZE],
        Manager => &[PUBLIC, EVENT_HANDLERS, INTERNAL, PRIVATE],
        Form => &[
            VARIABLES,
            PUBLIC,
            FORM_EVENT_HANDLERS,
            FORM_HEADER_ITEMS,
            FORM_TABLE_ITEMS,
            FORM_COMMANDS,
            PRIVATE,
            INITIALIZE,
        ],
        Command => &[EVENT_HANDLERS, PRIVATE],
        Session | Application | ManagedApplication | OrdinaryApplication | ExternalConnection => {
            &[VARIABLES, PUBLIC, EVENT_HANDLERS, INTERNAL, PRIVATE, INITIALIZE]
        }
        OneScriptClass | OneScriptModule | Unknown => return None,
    })
}

impl StandardRegion {
    /// Whether a region name is this section, in either language, ignoring case.
    pub fn matches(&self, name: &str) -> bool {
        [self.ru, self.en].iter().any(|standard| {
            if self.prefix {
                name.get(..standard.len()).is_some_and(|head| bsl_syntax::keywords::eq_ignore_case(head, standard))
            } else {
                bsl_syntax::keywords::eq_ignore_case(name, standard)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_languages() {
        assert!(FORM_TABLE_ITEMS.matches("ОбработчикиСобытийЭлементовТаблицыФормыСписок"));
        assert!(FORM_TABLE_ITEMS.matches("FormTableItemsEventHandlersList"));
        assert!(PRIVATE.matches("private"));
        assert!(!PRIVATE.matches("Приватные"));
        assert!(standard_regions(ModuleKind::OneScriptModule).is_none());
    }
}
