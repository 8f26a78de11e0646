package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TheoryCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "etf      | --sizes 5,5,5",
        "seli     | --step 4,10,0.5,1",
        "relu-ufm | --sizes 100,100,20,20 --lambda-w 1e-3 --lambda-h 1e-3",
        "lpm      | --majority 2,2,100,10 --ew 1 --eh 5",
        "lext     | --sizes 30,20,10 --lambda-w 1e-3 --lambda-h 1e-3 --layers 2 --bias",
        "deep-ufm | --sizes 5,5,5,5 --lambda 0.001 --layers 2"})
    void everyModelPrintsTheRequiredJsonFields(String model, String options) {
        String[] opts = options.trim().split("\\s+");
        String[] args = new String[opts.length + 3];
        args[0] = "theory";
        args[1] = model.trim();
        System.arraycopy(opts, 0, args, 2, opts.length);
        args[args.length - 1] = "--json";
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), run.err());
        JsonNode j = run.json();
        assertEquals(model.trim(), j.get("model").asText());
        int k = j.get("sizes").size();
        for (String key : new String[] {"classifierGram", "meanGram", "logits", "classifierCosines", "meanCosines"}) {
            assertEquals(k, j.get(key).size(), key);
            assertEquals(k, j.get(key).get(0).size(), key);
        }
        assertEquals(k, j.get("classifierNorms").size());
        assertEquals(k, j.get("meanNorms").size());
    }

    @Test
    void textOutputShowsTablesAndDetails() {
        CliRun run = CliRun.of("theory", "seli", "--step", "4,10,0.5,1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("classifier cosines"), run.out());
        assertTrue(run.out().contains("[10, 10, 1, 1]"), run.out());
    }

    @Test
    void etfIsEquiangular() {
        JsonNode j = CliRun.of("theory", "etf", "--sizes", "3,3,3,3", "--json").json();
        assertEquals(-1.0 / 3, j.get("classifierCosines").get(0).get(1).asDouble(), 1e-12);
        assertEquals(-1.0 / 3, j.get("meanCosines").get(2).get(3).asDouble(), 1e-12);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "theory seli --step 4,0.5,0.5,1                 | R must be >= 1, got R = 0.5",
        "theory seli --step 4,10,0.3,1                  | rho*K = 0.3*4 is not a whole number",
        "theory seli --step 4,10                        | --step expects K,R,RHO,NMIN (4 comma-separated numbers), got '4,10'",
        "theory seli --sizes 5,x,3                      | --sizes: 'x' is not a number",
        "theory seli --sizes 5,0,3                      | class 2 has 0 samples",
        "theory seli --sizes 7                          | got K = 1",
        "theory seli --sizes 5,2.5                      | --sizes must be a whole number, got 2.5",
        "theory nosuch --sizes 5,5                      | unknown model 'nosuch'",
        "theory relu-ufm --sizes 5,5,5                  | this model needs --lambda-w",
        "theory relu-ufm --sizes 5,5 --lambda-w -1 --lambda-h 1 | --lambda-w must be a finite number > 0, got -1.0",
        "theory lpm --sizes 5,5 --oversample 0.5        | --oversample must be a rate >= 1, got 0.5",
        "theory seli --sizes 5,5 --step 4,10,0.5,1      | mutually exclusive",
        "theory seli                                    | Missing required",
        "theory seli --sizes 5,5 --frobnicate           | Unknown option: '--frobnicate'",
        "theory lpm --majority 5,5,1000,3               | n_A/R = 1000/3.0 is not a whole number"})
    void badInputEndsWithAMessageAndExitCode2(String argLine, String expected) {
        CliRun run = CliRun.of(argLine.trim().split("\\s+"));
        assertEquals(2, run.code(), () -> "stdout: " + run.out() + "\nstderr: " + run.err());
        assertTrue(run.err().contains(expected.trim()), () -> "stderr lacks '" + expected.trim() + "': " + run.err());
        assertFalse(run.err().contains("\tat nclab."), () -> "stack trace on stderr: " + run.err());
    }
}
