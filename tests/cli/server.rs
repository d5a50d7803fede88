//! Tests of `aitls server`.
