Procedure Run(Val Items) Export
// <- keyword.function
//                ^ variable.parameter
//        ^ function
	For Each Item In Items Do
	// <- keyword.repeat
	//                     ^ keyword.repeat
		Try
		// <- keyword.exception
			Item.Process();
			//   ^ function.method.call
		Except
		// <- keyword.exception
			Raise;
			// <- keyword.exception
		EndTry;
	EndDo;
	Date = '20240101';
	//     ^ string.special
	Value = Undefined;
	//      ^ constant.builtin
EndProcedure
