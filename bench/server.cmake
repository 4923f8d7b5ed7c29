# Server load benchmark (bench/server): many concurrent paced /long streams on one serve.py.
# Full run: python3 bench/server/stream_load.py --streams 100 1000 5000 [--redis URL]
add_test(NAME "bench:server_streams"
         COMMAND python3 "${CMAKE_CURRENT_LIST_DIR}/server/stream_load.py" --streams 20 --tokens 10 --tps 20)
set_tests_properties("bench:server_streams" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)

# Time to first byte through deploy/'s nginx front against serve.py directly.
# Full run: python3 bench/server/front_ttfb.py --requests 300
add_test(NAME "bench:front_ttfb" COMMAND python3 "${CMAKE_CURRENT_LIST_DIR}/server/front_ttfb.py" --requests 5)
set_tests_properties("bench:front_ttfb" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)

# Failover: the generating instance killed mid-reply behind the nginx front, two instances on Redis.
# Full run: python3 bench/server/failover.py --streams 1000
add_test(NAME "bench:failover" COMMAND python3 "${CMAKE_CURRENT_LIST_DIR}/server/failover.py" --streams 10 --tokens 15 --tps 5)
set_tests_properties("bench:failover" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)
