//! Job description rendering.
