Console.WriteLine("benchmarks: not wired yet");
