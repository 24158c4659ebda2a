//! a_handlers: names of the event handlers the platform calls by name in object, manager,
//! record set, value manager, session and application modules.

use crate::module_kind::ModuleKind;
use crate::rules::util::is_any;

/// Handlers of objects (catalogs, documents, charts, business processes, tasks, exchange
/// plans, reports, data processors), record sets and value managers, Russian and English.
const OBJECT_HANDLERS: &[&str] = &[
    "ПередЗаписью",
    "BeforeWrite",
    "ПриЗаписи",
    "OnWrite",
    "ОбработкаПроверкиЗаполнения",
    "FillCheckProcessing",
    "ОбработкаЗаполнения",
    "Filling",
    "ПриКопировании",
    "OnCopy",
    "ОбработкаПроведения",
    "Posting",
    "ОбработкаУдаленияПроведения",
    "UndoPosting",
    "ПередУдалением",
    "BeforeDelete",
    "ПриУстановкеНовогоКода",
    "OnSetNewCode",
    "ПриУстановкеНовогоНомера",
    "OnSetNewNumber",
    "ПриКомпоновкеРезультата",
    "OnComposeResult",
    "ПередСозданиемЗадач",
    "BeforeCreateTasks",
    "ПриСозданииЗадач",
    "OnCreateTasks",
    "ПередСтартом",
    "BeforeStart",
    "ПриСтарте",
    "OnStart",
    "ПередЗавершением",
    "BeforeFinish",
    "ПриЗавершении",
    "OnFinish",
    "ОбработкаПроверкиУсловия",
    "ConditionCheck",
    "ПередСозданиемЗадачи",
    "ПриСозданииЗадачи",
    "ОбработкаПередачиТочкиМаршрута",
    "ПередВыполнением",
    "BeforeExecute",
    "ПриВыполнении",
    "OnExecute",
    "ПередВыполнениемИнтерактивно",
    "BeforeExecuteInteractively",
    "ПриВыполненииИнтерактивно",
    "OnExecuteInteractively",
    "ПриОтправкеДанныхГлавному",
    "OnSendDataToMaster",
    "ПриОтправкеДанныхПодчиненному",
    "OnSendDataToSlave",
    "ПриПолученииДанныхОтГлавного",
    "OnReceiveDataFromMaster",
    "ПриПолученииДанныхОтПодчиненного",
    "OnReceiveDataFromSlave",
    "ОбработкаПолученияПредставления",
    "PresentationGetProcessing",
    "ОбработкаПолученияПолейПредставления",
    "PresentationFieldsGetProcessing",
    "ОбработкаПолученияДанныхВыбора",
    "ChoiceDataGetProcessing",
    "ОбработкаПолученияФормы",
    "FormGetProcessing",
    "ПриПолученииДанныхВыбора",
    "ОбработкаПолученияДанныхВыбораНаСервере",
    "ПриОпределенииПараметровФормы",
    "ОбработкаПолученияСтатистикиПоПодсистемам",
    "ОбработкаПолученияНастроекПоУмолчанию",
    "ОбработкаФормированияДанныхМакета",
    "ПриЧтенииПредставленийНаСервере",
    // Settings storages.
    "ОбработкаЗагрузки",
    "LoadProcessing",
    "ОбработкаСохранения",
    "SaveProcessing",
    "ОбработкаПолученияОписания",
    "GetDescriptionProcessing",
    "ОбработкаУстановкиОписания",
    "SetDescriptionProcessing",
];

/// Events of business process route points: the handler is `<Точка><Событие>`.
const ROUTE_POINT_EVENTS: &[&str] = &[
    "ПриСозданииЗадач",
    "ПередСозданиемЗадач",
    "ПриВыполнении",
    "ПроверкаУсловия",
    "ПриЗавершении",
    "ПередСозданиемВложенныхБизнесПроцессов",
    "ПриСозданииВложенныхБизнесПроцессов",
    "ПриЗавершенииВложенныхБизнесПроцессов",
    "OnCreateTasks",
    "BeforeCreateTasks",
    "OnExecute",
    "ConditionCheck",
    "OnComplete",
];

/// Handlers of the session, application and external connection modules.
const APPLICATION_HANDLERS: &[&str] = &[
    "УстановкаПараметровСеанса",
    "SessionParametersSetting",
    "ПередНачаломРаботыСистемы",
    "BeforeStart",
    "ПриНачалеРаботыСистемы",
    "OnStart",
    "ПередЗавершениемРаботыСистемы",
    "BeforeExit",
    "ПриЗавершенииРаботыСистемы",
    "OnExit",
    "ОбработкаВнешнегоСобытия",
    "ExternEventProcessing",
    "ОбработкаОтображенияОшибки",
    "ErrorDisplayProcessing",
    "ОбработкаПереходаПоНавигационнойСсылке",
    "URLProcessing",
    "ОбработкаЗапросаВнешнегоСобытия",
    "ПриИзмененииПараметровЭкрана",
    "OnChangeDisplaySettings",
    "ОбработкаПоискаПоСтроке",
    "ОбработкаПриостановкиОбновленияПараметровСеанса",
    "ОбработкаПолученияФормыВыбораПользователейСистемыВзаимодействия",
    "ПриГлобальномПоиске",
    "ПриВыбореРезультатаГлобальногоПоиска",
    "ПриВыбореДействияРезультатаГлобальногоПоиска",
    "ОбработкаАктивизацииПриложения",
];

/// Whether the platform calls a method of this name in a module of this kind by itself.
/// Loose files (`Unknown`) accept every list: their kind is not known.
pub fn is_event_handler(name: &str, kind: ModuleKind) -> bool {
    let object = matches!(
        kind,
        ModuleKind::Object
            | ModuleKind::Manager
            | ModuleKind::RecordSet
            | ModuleKind::ValueManager
            | ModuleKind::Unknown
    );
    let application = matches!(
        kind,
        ModuleKind::Session
            | ModuleKind::Application
            | ModuleKind::ManagedApplication
            | ModuleKind::OrdinaryApplication
            | ModuleKind::ExternalConnection
            | ModuleKind::Unknown
    );
    let onescript = kind.is_onescript();
    if !(object || application || onescript) {
        return false;
    }
    let folded = super::a_names::fold(name);
    let route_point = ROUTE_POINT_EVENTS.iter().any(|e| {
        let event = super::a_names::fold(e);
        folded.len() > event.len() && folded.ends_with(&event)
    });
    (object && (route_point || is_any(name, OBJECT_HANDLERS)))
        || (application && is_any(name, APPLICATION_HANDLERS))
        || (onescript
            && is_any(
                name,
                &["ПриСозданииОбъекта", "OnObjectCreate", "ОбработкаПолученияПредставления", "ПриЗагрузкеБиблиотеки"],
            ))
}
