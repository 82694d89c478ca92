//! gap
