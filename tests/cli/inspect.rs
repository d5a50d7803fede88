//! Tests of `aitls inspect`.
