#Область ПрограммныйИнтерфейс
// <- keyword.directive

&НаСервере
// <- attribute
// ^ attribute
Функция Сумма(Знач А, Б = 0) Экспорт
// <- keyword.function
//      ^ function
//                 ^ variable.parameter
//                        ^ number
//                           ^ keyword
	Если А > Б И НЕ Б = 0 Тогда
	// <- keyword.conditional
	//     ^ operator
	//         ^ keyword.operator
	//                    ^ keyword.conditional
		Возврат Новый Структура("Итог", А);
		// <- keyword.return
		//      ^ keyword.operator
		//            ^ type
		//                      ^ string
	КонецЕсли;
	Запрос.Выполнить();
	//     ^ function.method.call
	Сообщить(Б);
	// <- function.call
	Возврат Истина;
	//      ^ boolean
КонецФункции
// <- keyword.function

#КонецОбласти
// <- keyword.directive
