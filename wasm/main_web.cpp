// Placeholder entry point; replaced by the platform layer's main loop.
int main() { return 0; }
