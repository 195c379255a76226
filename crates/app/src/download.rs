//! Files leave the browser as downloads: a blob URL on a temporary link, nothing sent anywhere.

use wasm_bindgen::JsCast;

/// Offers `text` as a file download (a blob URL on a temporary link; nothing leaves the machine).
pub fn offer(name: &str, text: &str, mime: &str) {
    offer_part(name, &wasm_bindgen::JsValue::from_str(text), mime);
}

/// Offers `bytes` (a ZIP archive, …) as a file download.
pub fn offer_bytes(name: &str, bytes: &[u8], mime: &str) {
    offer_part(name, &js_sys::Uint8Array::from(bytes), mime);
}

fn offer_part(name: &str, part: &wasm_bindgen::JsValue, mime: &str) {
    let parts = js_sys::Array::of1(part);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        let _ = doc.body().map(|b| b.append_child(&a));
        a.click();
        a.remove();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
