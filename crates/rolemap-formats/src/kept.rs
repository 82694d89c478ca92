//! Objects of a standard-format file kept whole (as JSON) beside the framework rolemap made of
//! it, so that an export gives back every field, including those rolemap has no column for.

/// One object of a file as stored: what kind of object it is (the format names its kinds), its
/// identifier (empty when it has none) and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptObject {
    pub kind: String,
    pub identifier: String,
    pub json: String,
}
