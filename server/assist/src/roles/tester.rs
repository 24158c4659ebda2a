//! The tester: YAxUnit test modules for a module's methods.
