# csv.awk - read tvp's CSV in any POSIX awk (mawk included): the lab
# scripts' one parser. csv_split(line, f) splits one row into f[1..n],
# honouring "quoted, fields" and "" escapes, and returns n; csv_header(line)
# learns the column names, so col["busy_reps"] is that column's number
# whatever columns come before or after it.

function csv_split(line, f,    n, i, c, q, cur) {
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (q && c == "\"" && substr(line, i + 1, 1) == "\"") {
			cur = cur "\""; i++
		} else if (c == "\"") {
			q = !q
		} else if (c == "," && !q) {
			f[++n] = cur; cur = ""
		} else {
			cur = cur c
		}
	}
	f[++n] = cur
	return n
}

function csv_header(line,    h, n, i) {
	n = csv_split(line, h)
	for (i = 1; i <= n; i++)
		col[h[i]] = i
	return n
}
