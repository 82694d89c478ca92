//! jd
