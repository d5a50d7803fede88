//! The project file parser behind every command when an `aitls.toml` is found: any text
//! is a `Project` or an error naming a line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match aitls::project::parse(std::path::Path::new("/p/aitls.toml"), text) {
            Ok(project) => {
                let _ = project.urls();
            }
            Err(aitls::Error::Project { line, .. }) => assert!(line >= 1),
            Err(_) => {}
        }
    }
});
