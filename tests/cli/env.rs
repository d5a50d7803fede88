//! Tests of `aitls env`.
