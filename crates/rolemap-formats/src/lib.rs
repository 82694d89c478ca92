//! Readers and writers for rolemap's file formats: framework documents and people documents
//! (TOML), the built-in operations framework, job description rendering (Markdown, HTML), ESCO
//! CSV, the O*NET text release, CASE 1.0 packages (JSON) and OSMT Rich Skill Descriptors (JSON-LD
//! and CSV).
//!
//! Readers take text, never paths: the caller names the file so diagnostics can point at it.
//! A reader either returns the whole checked model or every problem it found, never a part.

pub mod builtin;
pub mod case;
mod csv_table;
pub mod diagnostic;
pub mod esco;
pub mod framework_doc;
pub mod framework_edit;
pub mod framework_sheets;
pub mod framework_write;
pub mod jd;
pub mod kept;
pub mod mappings;
pub mod onet;
pub mod people_csv;
pub mod people_doc;
pub mod rsd;
pub mod sheets;
mod toml_reader;
pub mod transitions;

pub use diagnostic::{Diagnostic, Diagnostics, utf8_text};
pub use framework_doc::read_framework;
pub use framework_write::write_framework;
pub use mappings::{MappingRow, MappingsFile, read_mappings};
pub use people_csv::{PeopleCsv, PersonCsvRow, read_people_csv};
pub use people_doc::read_people;
pub use transitions::{TransitionRow, read_transitions};
