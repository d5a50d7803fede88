//! Name parsing: `aitls server NAME…` and `aitls verify --host NAME`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = aitls::names::parse(s) {
        // A parsed name prints as something that parses to itself.
        let again = aitls::names::parse(&name.to_string());
        assert_eq!(again.ok(), Some(name));
    }
    let _ = aitls::verify::parse_host(s);
    let _ = aitls::names::check_common_name(s);
});
