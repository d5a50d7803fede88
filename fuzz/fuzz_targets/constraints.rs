//! Name constraints: `--permit` values, and the nameConstraints of any certificate (DER),
//! checked against names (what `server` and `sign` run before issuing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let permits: Vec<&str> = text.split('\n').collect();
        if let Ok(Some(c)) = aitls::constraints::for_permits(&permits) {
            let _ = c.describe();
            let _ = c.to_rcgen();
        }
    }
    if let Ok(Some(c)) = aitls::constraints::of_cert(data) {
        let names = ["localhost", "127.0.0.1", "::1", "*.example.com"]
            .map(|n| aitls::names::parse(n).unwrap());
        let _ = c.outside(&names);
        let _ = c.describe();
    }
});
