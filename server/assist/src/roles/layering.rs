//! The architect's layering checks, which need the whole workspace and so live outside
//! the per-module rules: client code calling a server-only common module (one without
//! "Server call", so the call cannot compile on the client), and a privileged module that
//! is also a server-call module (any client may then run its code with full rights).
//! Conservative by design: a call inside a preprocessor block, or from a method whose
//! side is not stated, is not judged.

use std::ops::Range;
use std::path::Path;

use bsl_analysis::ModuleKind;
use bsl_analysis::workspace::{Qualifier, Target, WorkspaceIndex, call_sites, target_at};
use bsl_syntax::{CompilationDirective, Parse};

/// One finding: the byte range to underline and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub range: Range<usize>,
    pub message: String,
}

/// Whether the module runs on the client only: a client common module without the server
/// flag, the managed or ordinary application module.
fn client_only_module(index: &WorkspaceIndex, path: &Path) -> bool {
    let Some(info) = index.module(path) else { return false };
    match info.kind {
        ModuleKind::ManagedApplication | ModuleKind::OrdinaryApplication => true,
        ModuleKind::Common => index
            .common_module(&info.name)
            .and_then(|m| m.flags)
            .is_some_and(|f| (f.client_managed_application || f.client_ordinary_application) && !f.server),
        _ => false,
    }
}

/// The layering violations in the module at `path`.
pub fn violations(parse: &Parse, path: &Path, index: &WorkspaceIndex) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(info) = index.module(path) else { return out };
    let module = parse.module();
    // A privileged module open to client calls.
    if info.kind == ModuleKind::Common
        && let Some(flags) = index.common_module(&info.name).and_then(|m| m.flags)
        && flags.privileged
        && flags.server_call
    {
        let end = parse.text().find('\n').unwrap_or(parse.text().len());
        out.push(Violation {
            range: 0..end,
            message: format!(
                "Модуль {} привилегированный и вызывается с клиента: любой клиент выполнит его код без проверки прав. \
                 Снимите флаг «Вызов сервера» и вызывайте его из серверного модуля, проверив права.",
                info.name
            ),
        });
    }
    let whole_module_client = client_only_module(index, path);
    // Most modules have no client code: skip the walk over their calls.
    if !whole_module_client && !module.methods.iter().any(|m| m.directive() == Some(CompilationDirective::AtClient)) {
        return out;
    }
    let in_preprocessor = |offset: usize| module.preproc_blocks.iter().any(|b| b.range.contains(&offset));
    for call in call_sites(parse) {
        let start = call.start as usize;
        let method = module.methods.iter().find(|m| m.range.contains(&start));
        let client_side = match method.and_then(|m| m.directive()) {
            Some(CompilationDirective::AtClient) => true,
            Some(_) => false,
            None => whole_module_client,
        };
        if !client_side || in_preprocessor(start) {
            continue;
        }
        let Some((Target::Method { qualifier: qualifier @ Qualifier::Name(_), name }, _)) = target_at(parse, start)
        else {
            continue;
        };
        let Some(target) = index.resolve_module(&qualifier) else { continue };
        if target.kind != ModuleKind::Common || !target.has_method(&name) {
            continue;
        }
        let Some(flags) = index.common_module(&target.name).and_then(|m| m.flags) else { continue };
        if flags.server && !flags.server_call && !flags.client_managed_application && !flags.client_ordinary_application
        {
            out.push(Violation {
                range: start..call.end as usize,
                message: format!(
                    "Клиентский код вызывает {}.{name}, а общий модуль {} только серверный и без флага «Вызов сервера»: \
                     на клиенте он недоступен. Вызовите его через серверный метод формы или модуль с вызовом сервера.",
                    target.name, target.name
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common_module_xml(name: &str, client: bool, server: bool, server_call: bool, privileged: bool) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MetaDataObject xmlns=\"http://v8.1c.ru/8.3/MDClasses\">\n<CommonModule uuid=\"1\"><Properties><Name>{name}</Name><Global>false</Global><ClientManagedApplication>{client}</ClientManagedApplication><Server>{server}</Server><ExternalConnection>false</ExternalConnection><ClientOrdinaryApplication>false</ClientOrdinaryApplication><ServerCall>{server_call}</ServerCall><Privileged>{privileged}</Privileged><ReturnValuesReuse>DontUse</ReturnValuesReuse></Properties></CommonModule>\n</MetaDataObject>\n"
        )
    }

    #[test]
    fn client_calls_into_server_only_modules_and_open_privileged_modules() {
        let mut index = WorkspaceIndex::new();
        let modules = [
            (
                "Клиент",
                true,
                false,
                false,
                false,
                "Процедура А() Экспорт\n\tСервер.Б();\n\tВызов.В();\n\t#Если Сервер Тогда\n\tСервер.Б();\n\t#КонецЕсли\nКонецПроцедуры\n",
            ),
            ("Сервер", false, true, false, false, "Процедура Б() Экспорт\nКонецПроцедуры\n"),
            ("Вызов", false, true, true, true, "Процедура В() Экспорт\nКонецПроцедуры\n"),
        ];
        for (name, client, server, call, privileged, text) in modules {
            let xml = common_module_xml(name, client, server, call, privileged);
            index.add_metadata_text(&Path::new("/p/CommonModules").join(format!("{name}.xml")), &xml).unwrap();
            index.add_module_text(&Path::new("/p/CommonModules").join(name).join("Ext/Module.bsl"), text);
        }
        let client = Path::new("/p/CommonModules/Клиент/Ext/Module.bsl");
        let parse = Parse::new(modules[0].5);
        let found = violations(&parse, client, &index);
        assert_eq!(found.len(), 1, "only the call outside the preprocessor block: {found:?}");
        assert_eq!(&modules[0].5[found[0].range.clone()], "Б");
        assert!(found[0].message.contains("Сервер.Б"), "{}", found[0].message);
        let privileged = Path::new("/p/CommonModules/Вызов/Ext/Module.bsl");
        let found = violations(&Parse::new(modules[2].5), privileged, &index);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("привилегированный"));
        // A server module calling the server module is fine.
        let server = Path::new("/p/CommonModules/Сервер/Ext/Module.bsl");
        assert!(violations(&Parse::new("Процедура Г()\n\tСервер.Б();\nКонецПроцедуры\n"), server, &index).is_empty());
    }
}
