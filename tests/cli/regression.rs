//! Tests of `aitls regression`.
