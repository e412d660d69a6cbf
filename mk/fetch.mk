# fetch: the figures in docs/workloads.md's fetch section, measured here.
#   make fetch-figures   sim source against ideal; http requests per second
.PHONY: fetch-figures
fetch-figures: $(TVP)
	$(TVP) run fetch -n 256 --latency 20ms --fail-rate 0 \
		-b sequential,threads,processes,openmp -w 2,8,16,32,64 -f markdown
	$(TVP) run fetch --source http -n 4000 --latency 0 --fail-rate 0 \
		-w 8 -f markdown
