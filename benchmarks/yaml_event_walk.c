/* The floor for `roster validate`: libyaml's own parse of a manifest, every event read and freed,
 * nothing kept. benchmarks/plan_scale.py builds it (cc -O2, -lyaml) and runs it over the same file as
 * roster, so the ratio of the two is measured in one run on one machine. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *file = fopen(argv[1], "rb");
  if (!file) return 2;
  yaml_parser_t parser;
  yaml_event_t event;
  long events = 0;
  int done = 0;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, file);
  while (!done) {
    if (!yaml_parser_parse(&parser, &event)) {
      fprintf(stderr, "parse error: %s\n", parser.problem ? parser.problem : "?");
      return 1;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    events++;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  fclose(file);
  printf("%ld events\n", events);
  return 0;
}
