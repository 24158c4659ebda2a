package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;

import io.bslassist.edt.core.MethodLocator;
import java.util.Optional;

/** The method under the caret, from the text. */
final class MethodLocatorTest {
    private MethodLocatorTest() {
    }

    static void run(Check check) {
        String text = String.join("\n",
                "// Описание", // 0
                "&НаСервере", // 1
                "Процедура ЗаполнитьДанные(Параметр) Экспорт", // 2
                "\tА = 1;", // 3
                "КонецПроцедуры", // 4
                "", // 5
                "асинх функция ПолучитьИтог() // Процедура Ложная(", // 6
                "\tВозврат 1;", // 7
                "КонецФункции", // 8
                "// Function Commented(", // 9
                "Procedure English_1 (X)", // 10
                "EndProcedure"); // 11
        check.test("method locator: declaration line, body and end line", () -> {
            equal(Optional.of("ЗаполнитьДанные"), MethodLocator.methodAt(text, 2), "on the declaration");
            equal(Optional.of("ЗаполнитьДанные"), MethodLocator.methodAt(text, 3), "in the body");
            equal(Optional.of("ЗаполнитьДанные"), MethodLocator.methodAt(text, 4), "on КонецПроцедуры");
        });
        check.test("method locator: any case, Асинх, English keywords", () -> {
            equal(Optional.of("ПолучитьИтог"), MethodLocator.methodAt(text, 7), "асинх функция");
            equal(Optional.of("English_1"), MethodLocator.methodAt(text, 11), "Procedure ... EndProcedure");
        });
        check.test("method locator: between methods, before the first, comments", () -> {
            equal(Optional.empty(), MethodLocator.methodAt(text, 5), "after КонецПроцедуры");
            equal(Optional.empty(), MethodLocator.methodAt(text, 0), "before any method");
            equal(Optional.empty(), MethodLocator.methodAt(text, 9), "a commented declaration is no method");
            equal(Optional.empty(), MethodLocator.methodAt("", 0), "empty text");
            equal(Optional.of("English_1"), MethodLocator.methodAt(text, 99), "a line past the end");
        });
    }
}
