//! UsingSynchronousCalls: synchronous platform methods called in client code.

use tree_sitter::Node;

use crate::rules::support::r2_client::runs_on_client;
use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags calls, in client code, of global methods that block the client until they finish
/// and have an asynchronous counterpart: dialogs (`Вопрос`, `Предупреждение`,
/// `ОткрытьЗначение`, `ОткрытьФормуМодально`, `ВвестиЗначение`, `ВвестиЧисло`,
/// `ВвестиСтроку`, `ВвестиДату`), files (`ПоместитьФайл`, `ПолучитьФайл`, `КопироватьФайл`,
/// `ПереместитьФайл`, `УдалитьФайлы`, `НайтиФайлы`, `СоздатьКаталог`,
/// `КаталогВременныхФайлов`, ...), extensions and add-ins (`ПодключитьРасширениеРаботыСФайлами`,
/// `УстановитьВнешнююКомпоненту`, ...), `ЗапуститьПриложение` and
/// `ЗапроситьРазрешениеПользователя`, with their English names. Standard 703.
///
/// ## Why
/// A configuration whose "synchronous calls of extensions and add-ins" mode is "do not use"
/// (the mode the web client and new configurations need) raises an exception on each such
/// call. The counterparts (`ПоказатьВопрос`, `НачатьУдалениеФайлов`, `УдалитьФайлыАсинх` with
/// `Ждать`, ...) work in every mode.
///
/// Dialogs are also flagged by `UsingModalWindows`, which is about the modality mode; the two
/// modes are set apart in the configuration's properties, so each rule stands for one of them.
/// Turn on the one that matches the mode you are moving away from.
///
/// ## Where it looks
/// Client code only: `&НаКлиенте` methods, the managed and ordinary application modules, and
/// branches of `#Если Клиент Тогда` (`ТонкийКлиент`, `ВебКлиент`, ...) that no server reaches.
/// On the server the same methods are synchronous by nature and fine. A common module's
/// client flag is a property of its metadata that a single module does not show, so code of
/// common modules outside such a branch is not checked. Off by default, as the mode is a
/// project's decision.
///
/// ## Example
/// ```bsl
/// &НаКлиенте
/// Процедура Очистить(Команда)
///     УдалитьФайлы(КаталогВыгрузки); // flagged
/// КонецПроцедуры
/// ```
pub struct UsingSynchronousCalls;

static META: RuleMeta = RuleMeta {
    code: "UsingSynchronousCalls",
    name_ru: "Использование синхронных вызовов",
    name_en: "Using synchronous calls",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["standard"],
    minutes_to_fix: 15,
    enabled_by_default: false,
    params: &[],
    module_kinds: crate::ModuleKind::PLATFORM,
};

/// Synchronous methods (Russian, English) and the Russian name of the counterpart to use.
const SYNC: &[(&str, &str, &str)] = &[
    ("Вопрос", "DoQueryBox", "ПоказатьВопрос"),
    ("Предупреждение", "DoMessageBox", "ПоказатьПредупреждение"),
    ("ОткрытьЗначение", "OpenValue", "ПоказатьЗначение"),
    ("ОткрытьФормуМодально", "OpenFormModal", "ОткрытьФорму"),
    ("ВвестиЗначение", "InputValue", "ПоказатьВводЗначения"),
    ("ВвестиЧисло", "InputNumber", "ПоказатьВводЧисла"),
    ("ВвестиСтроку", "InputString", "ПоказатьВводСтроки"),
    ("ВвестиДату", "InputDate", "ПоказатьВводДаты"),
    ("ПоместитьФайл", "PutFile", "НачатьПомещениеФайла"),
    ("ПоместитьФайлы", "PutFiles", "НачатьПомещениеФайлов"),
    ("ПолучитьФайл", "GetFile", "НачатьПолучениеФайлов"),
    ("ПолучитьФайлы", "GetFiles", "НачатьПолучениеФайлов"),
    ("КопироватьФайл", "FileCopy", "НачатьКопированиеФайла"),
    ("ПереместитьФайл", "MoveFile", "НачатьПеремещениеФайла"),
    ("УдалитьФайлы", "DeleteFiles", "НачатьУдалениеФайлов"),
    ("НайтиФайлы", "FindFiles", "НачатьПоискФайлов"),
    ("СоздатьКаталог", "CreateDirectory", "НачатьСозданиеКаталога"),
    ("КаталогВременныхФайлов", "TempFilesDir", "НачатьПолучениеКаталогаВременныхФайлов"),
    ("КаталогДокументов", "DocumentsDir", "НачатьПолучениеКаталогаДокументов"),
    ("РабочийКаталогДанныхПользователя", "UserDataWorkDir", "НачатьПолучениеРабочегоКаталогаДанныхПользователя"),
    ("ЗапуститьПриложение", "RunApp", "НачатьЗапускПриложения"),
    ("ПодключитьРасширениеРаботыСФайлами", "AttachFileSystemExtension", "НачатьПодключениеРасширенияРаботыСФайлами"),
    ("УстановитьРасширениеРаботыСФайлами", "InstallFileSystemExtension", "НачатьУстановкуРасширенияРаботыСФайлами"),
    (
        "ПодключитьРасширениеРаботыСКриптографией",
        "AttachCryptoExtension",
        "НачатьПодключениеРасширенияРаботыСКриптографией",
    ),
    (
        "УстановитьРасширениеРаботыСКриптографией",
        "InstallCryptoExtension",
        "НачатьУстановкуРасширенияРаботыСКриптографией",
    ),
    ("ПодключитьВнешнююКомпоненту", "AttachAddIn", "НачатьПодключениеВнешнейКомпоненты"),
    ("УстановитьВнешнююКомпоненту", "InstallAddIn", "НачатьУстановкуВнешнейКомпоненты"),
    ("ЗапроситьРазрешениеПользователя", "RequestUserPermission", "НачатьЗапросРазрешенияПользователя"),
];

impl Rule for UsingSynchronousCalls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if call_object(node).is_some() {
            return;
        }
        let Some(name) = called_name(node, ctx.text()) else { return };
        let Some(&(_, _, counterpart)) = SYNC.iter().find(|(ru, en, _)| is_any(name, &[ru, en])) else {
            return;
        };
        if !runs_on_client(ctx.module(), ctx.module_kind(), node.start_byte()) {
            return;
        }
        let message = ctx.tr(
            format!("Синхронный вызов \"{name}\": используйте асинхронный аналог ({counterpart})"),
            format!("Synchronous call \"{name}\": use its asynchronous counterpart"),
        );
        ctx.report(node.byte_range(), message);
    }
}
