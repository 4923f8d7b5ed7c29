# Server load benchmark (bench/server): many concurrent paced /long streams on one serve.py.
# Full run: python3 bench/server/stream_load.py --streams 100 1000 5000 [--redis URL]
add_test(NAME "bench:server_streams"
         COMMAND python3 "${CMAKE_CURRENT_LIST_DIR}/server/stream_load.py" --streams 20 --tokens 10 --tps 20)
set_tests_properties("bench:server_streams" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)
