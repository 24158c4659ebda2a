//! The workspace model: where files live, what the metadata says, and the index over both.
//!
//! [`layout`] judges a path (Designer dump, EDT project, OneScript library), [`metadata`]
//! reads Designer XML and EDT `.mdo` descriptions, [`index`] keeps the facts the language
//! server looks up across files, [`subsystems`] puts the subsystem descriptions into a tree
//! on demand, [`xref`] finds calls and cross-module targets. Nothing here does I/O: callers
//! hand in paths and text.

pub mod index;
pub mod layout;
pub mod metadata;
pub mod subsystems;
pub mod xref;

pub use index::{CommonModuleView, MethodInfo, ModuleInfo, ParameterInfo, WorkspaceIndex, fuzzy_score};
pub use layout::{
    FileLocation, FileRole, MetadataKind, ObjectRef, PackageDef, Project, ProjectFormat, classify,
    is_extension_configuration, parse_packagedef, subsystem_path,
};
pub use metadata::{
    Attribute, CommonModuleFlags, ConfigurationInfo, LibEntry, MetadataError, MetadataObject, ReturnValuesReuse,
    ScriptVariant, TabularSection, parse_lib_config, parse_metadata,
};
pub use subsystems::{Subsystem, SubsystemLevel, SubsystemTree};
pub use xref::{CallSite, Qualifier, Target, call_sites, target_at};
