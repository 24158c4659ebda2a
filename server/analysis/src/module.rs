//! Small conveniences over the syntax layer's typed module views.

use bsl_syntax::AnnotationKind;

/// Questions about an annotation's kind.
pub trait AnnotationKindExt {
    /// Whether the annotation is a compilation directive (`&НаКлиенте`, ...).
    fn is_directive(&self) -> bool;
}

impl AnnotationKindExt for AnnotationKind {
    fn is_directive(&self) -> bool {
        matches!(self, AnnotationKind::Directive(_))
    }
}
