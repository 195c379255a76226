fn main() {
    concord_app::start();
}
